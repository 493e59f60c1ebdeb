@preconcurrency import Crypto
import Foundation

/// The reference service's `secret_key` provider: a configured key of at least 32 bytes wraps each DEK.
///
/// The construction, fixed by the reference and by `shared/testdata/kek-wrap-vectors.json`: a fresh 16-byte
/// salt per wrap; HKDF-SHA256 with the configured key as input keying material, that salt and no info gives a
/// 256-bit AES-GCM key; the plaintext sealed is the base64 text of the DEK. The wrapped form is
/// `salt(16) ‖ nonce(12) ‖ ciphertext ‖ tag(16)`.
public struct SecretKeyProvider: KeyProvider {
    /// The shortest configured key accepted, in bytes.
    public static let minimumKeyByteCount = 32

    private static let saltByteCount = 16
    private static let nonceByteCount = 12
    private static let tagByteCount = 16
    private static let dataKeyByteCount = 32
    private static let firstBlockCounter: UInt8 = 1

    public let name: String
    private let keyMaterial: SymmetricKey

    /// A provider called `name` whose key is `keyMaterial` (the decoded bytes, not their base64 text).
    public init(name: String, keyMaterial: SymmetricKey) throws {
        guard keyMaterial.bitCount >= Self.minimumKeyByteCount * 8 else {
            throw SecretStoreError.invalidConfiguration(
                "the key of provider '\(name)' is \(keyMaterial.bitCount / 8) bytes; it must be at least "
                    + "\(Self.minimumKeyByteCount) bytes (generate one with: openssl rand -base64 32)"
            )
        }
        self.name = name
        self.keyMaterial = keyMaterial
    }

    public func wrap(_ dataKey: SymmetricKey) throws -> Data {
        let salt = randomBytes(Self.saltByteCount)
        let wrappingKey = wrappingKey(salt: salt)
        // Encode straight from the key's own buffer so no unwiped copy of the raw key is left behind.
        var dataKeyText = dataKey.withUnsafeBytes { raw in
            Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none)
                .base64EncodedData()
        }
        defer { dataKeyText.wipe() }
        let box = try AES.GCM.seal(dataKeyText, using: wrappingKey)
        var wrapped = Data(capacity: Self.saltByteCount + (box.combined?.count ?? 0))
        wrapped.append(contentsOf: salt)
        wrapped.append(box.combined!)
        return wrapped
    }

    /// HKDF-SHA256(ikm: the configured key, salt, no info) to 32 bytes: the per-wrap AES-256-GCM key.
    ///
    /// RFC 5869's extract step is PRK = HMAC(salt, IKM) and its expand step for a single block is
    /// T(1) = HMAC(PRK, info ‖ 0x01); with no info and 32 bytes that block is the whole output. Computing the
    /// two HMACs directly, with the PRK only on the stack, gives the same bytes as `HKDF.deriveKey` (a test
    /// checks) at a fraction of the cost, which matters because every access derives one key.
    func wrappingKey<Salt: ContiguousBytes>(salt: Salt) -> SymmetricKey {
        withUnsafeTemporaryAllocation(byteCount: 2 * HMACSHA256.byteCount, alignment: 8) { scratch in
            defer { memset(scratch.baseAddress!, 0, scratch.count) }
            let pseudoRandomKey = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<HMACSHA256.byteCount])
            let block = UnsafeMutableRawBufferPointer(rebasing: scratch[HMACSHA256.byteCount...])
            salt.withUnsafeBytes { salt in
                keyMaterial.withUnsafeBytes { HMACSHA256.authenticate($0, key: salt, into: pseudoRandomKey) }
            }
            withUnsafeBytes(of: Self.firstBlockCounter) { counter in
                HMACSHA256.authenticate(counter, key: UnsafeRawBufferPointer(pseudoRandomKey), into: block)
            }
            return SymmetricKey(data: UnsafeRawBufferPointer(block))
        }
    }

    public func unwrap(_ wrapped: Data) throws -> SymmetricKey {
        let minimum = Self.saltByteCount + Self.nonceByteCount + Self.tagByteCount + 1
        guard wrapped.count >= minimum else {
            throw KeyUnwrapError(reason: "its wrapped data key is \(wrapped.count) bytes, too short to be valid")
        }
        let start = wrapped.startIndex
        let salt = wrapped[start..<start + Self.saltByteCount]
        let sealed = wrapped[(start + Self.saltByteCount)...]
        let wrappingKey = wrappingKey(salt: salt)
        var dataKeyText: Data
        do {
            dataKeyText = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: wrappingKey)
        } catch {
            throw KeyUnwrapError(
                reason: "its wrapped data key failed authentication under provider '\(name)' "
                    + "(the key configured for '\(name)' is not the one that wrapped it, or the row is corrupted)"
            )
        }
        defer { dataKeyText.wipe() }
        guard var dataKey = Data(base64Encoded: dataKeyText) else {
            throw KeyUnwrapError(reason: "its unwrapped data key is not base64 text")
        }
        defer { dataKey.wipe() }
        guard dataKey.count == Self.dataKeyByteCount else {
            throw KeyUnwrapError(reason: "its unwrapped data key is \(dataKey.count) bytes instead of 32")
        }
        return SymmetricKey(data: dataKey)
    }
}

/// `count` bytes from BoringSSL's cryptographically secure generator (one call, no per-byte system calls).
func randomBytes(_ count: Int) -> [UInt8] {
    SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
}

extension Data {
    /// Overwrites the bytes with zeros, so key material does not linger in freed memory.
    mutating func wipe() {
        let size = count
        withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { memset(base, 0, size) }
        }
    }
}
