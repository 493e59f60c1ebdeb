import Crypto
import Foundation

/// The least work a rotation must do per row, measured with raw swift-crypto calls.
///
/// The store's `secret_key` provider wraps a data key as `salt(16) ‖ AES-GCM(HKDF-SHA256(key, salt), base64(DEK))`,
/// so moving one row from provider v1 to v2 needs one HKDF + AES-GCM open of the 44-byte base64 text under v1,
/// a fresh salt, and one HKDF + AES-GCM seal of it under v2. Anything a rotation spends beyond this pair is
/// database and bookkeeping cost.
struct KeyRewrapBaseline {
    /// The base64 text of a 32-byte data key, as the provider seals it.
    static let wrappedPlaintextByteCount = 44

    private static let saltByteCount = 16
    private static let wrappedPoolSize = 1_024

    private let oldKey = SymmetricKey(size: .bits256)
    private let newKey = SymmetricKey(size: .bits256)

    /// The rate of open-under-v1 plus seal-under-v2 pairs.
    func measure(iterations: Int, sink: ResultSink) throws -> Measurement {
        let wrapped = try (0..<Self.wrappedPoolSize).map { _ in
            let salt = Self.freshSalt()
            let box = try AES.GCM.seal(randomData(count: Self.wrappedPlaintextByteCount), using: Self.derive(oldKey, salt))
            return salt + box.combined!
        }
        return try Measurement.timeWithWarmUp("baseline HKDF+open, HKDF+seal 44 B", iterations: iterations) { index in
            let item = wrapped[index % wrapped.count]
            let salt = item.prefix(Self.saltByteCount)
            let box = try AES.GCM.SealedBox(combined: item.dropFirst(Self.saltByteCount))
            let dataKeyText = try AES.GCM.open(box, using: Self.derive(oldKey, salt))
            let newSalt = Self.freshSalt()
            let rewrapped = try AES.GCM.seal(dataKeyText, using: Self.derive(newKey, newSalt))
            sink.consume(newSalt.count + rewrapped.combined!.count)
        }
    }

    /// The rate of wrapping-key derivations alone, the part of each pair that AES-GCM does not explain.
    func measureDerivation(iterations: Int, sink: ResultSink) -> Measurement {
        let salts = (0..<Self.wrappedPoolSize).map { _ in Self.freshSalt() }
        return Measurement.timeWithWarmUp("baseline HKDF-SHA256 derive", iterations: iterations) { index in
            sink.consume(Self.derive(oldKey, salts[index % salts.count]).bitCount)
        }
    }

    /// The provider's wrapping-key derivation: HKDF-SHA256, the configured key as input, the row's salt, no info.
    private static func derive(_ key: SymmetricKey, _ salt: Data) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: salt, info: Data(), outputByteCount: 32)
    }

    /// 16 bytes from BoringSSL's generator, the cheapest secure source swift-crypto offers.
    private static func freshSalt() -> Data {
        SymmetricKey(size: SymmetricKeySize(bitCount: saltByteCount * 8)).withUnsafeBytes { Data($0) }
    }
}
