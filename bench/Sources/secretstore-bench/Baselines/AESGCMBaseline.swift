import Crypto
import Foundation

/// Raw AES-256-GCM from swift-crypto on values of one size: the floor under what a store operation adds.
///
/// It does what the store's value encryption cannot avoid and nothing more: a 32-byte key, a fresh random
/// 12-byte nonce per seal, associated data the length of a `workspace/name`, and the combined
/// `nonce ‖ ciphertext ‖ tag` form that gets stored.
struct AESGCMBaseline {
    /// Plaintext bytes per operation.
    let valueByteCount: Int

    /// A `workspace/name` of typical length, so authentication covers as many bytes as in the store.
    static let associatedData = Data("default/secret-000001".utf8)

    /// How many distinct ciphertexts the open benchmark cycles through, so no single buffer stays hot in cache.
    private static let ciphertextPoolSize = 1_024

    private let key = SymmetricKey(size: .bits256)

    /// The seal rate: one `AES.GCM.seal` and its combined form per operation.
    func measureSeal(iterations: Int, sink: ResultSink) throws -> Measurement {
        let plaintext = randomData(count: valueByteCount)
        return try Measurement.timeWithWarmUp("baseline AES-GCM seal \(sizeLabel)", iterations: iterations) { _ in
            let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: Self.associatedData)
            sink.consume(box.combined!.count)
        }
    }

    /// The open rate: parsing a combined box and one `AES.GCM.open` per operation.
    func measureOpen(iterations: Int, sink: ResultSink) throws -> Measurement {
        let ciphertexts = try (0..<Self.ciphertextPoolSize).map { _ in
            try AES.GCM.seal(randomData(count: valueByteCount), using: key, authenticating: Self.associatedData)
                .combined!
        }
        return try Measurement.timeWithWarmUp("baseline AES-GCM open \(sizeLabel)", iterations: iterations) { index in
            let box = try AES.GCM.SealedBox(combined: ciphertexts[index % ciphertexts.count])
            let plaintext = try AES.GCM.open(box, using: key, authenticating: Self.associatedData)
            sink.consume(plaintext.count)
        }
    }

    /// The value size as the table shows it, e.g. `40 B` or `4 KiB`.
    var sizeLabel: String {
        valueByteCount % 1024 == 0 ? "\(valueByteCount / 1024) KiB" : "\(valueByteCount) B"
    }
}

/// `count` pseudo-random bytes (the same for the same count), for plaintexts whose content does not matter.
///
/// Drawn from ``SeededGenerator`` eight bytes at a time: the system generator costs a system call per draw,
/// which made building the ciphertext pools slower than the benchmarks themselves.
func randomData(count: Int) -> Data {
    var generator = SeededGenerator(seed: UInt64(count))
    var bytes = Data(count: count)
    bytes.withUnsafeMutableBytes { raw in
        for offset in stride(from: 0, to: count, by: 8) {
            withUnsafeBytes(of: generator.next()) { word in
                raw[offset..<min(offset + 8, count)].copyBytes(from: word.prefix(count - offset))
            }
        }
    }
    return bytes
}
