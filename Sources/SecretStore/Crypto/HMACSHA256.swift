@preconcurrency import Crypto
import Foundation

/// HMAC-SHA256 (RFC 2104) over buffers the caller owns, computed with two SHA-256 hashers and the padded key on
/// the stack, then wiped.
///
/// swift-crypto's `HMAC<SHA256>` builds the padded keys in arrays and copies hashers on the heap; deriving the
/// wrapping key of every `/access` takes two HMACs, where that overhead cost more than the hashing. Tests check
/// it against `HMAC<SHA256>`.
enum HMACSHA256 {
    /// SHA-256's block size; longer keys are hashed first, as RFC 2104 says.
    static let blockByteCount = 64
    /// The length of a code.
    static let byteCount = 32

    /// Writes HMAC-SHA256(`key`, `message`) into the first ``byteCount`` bytes of `code`.
    static func authenticate(
        _ message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into code: UnsafeMutableRawBufferPointer
    ) {
        precondition(code.count >= byteCount)
        guard key.count <= blockByteCount else {
            SHA256.hash(data: key).withUnsafeBytes { authenticate(message, key: $0, into: code) }
            return
        }
        withUnsafeTemporaryAllocation(byteCount: blockByteCount, alignment: 8) { pad in
            defer { memset(pad.baseAddress!, 0, pad.count) }
            // Inner: SHA-256((K ⊕ ipad) ‖ message).
            fill(pad, with: key, xor: 0x36)
            var inner = SHA256()
            inner.update(bufferPointer: UnsafeRawBufferPointer(pad))
            inner.update(bufferPointer: message)
            let innerDigest = inner.finalize()
            // Outer: SHA-256((K ⊕ opad) ‖ inner).
            fill(pad, with: key, xor: 0x5C)
            var outer = SHA256()
            outer.update(bufferPointer: UnsafeRawBufferPointer(pad))
            innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
            outer.finalize().withUnsafeBytes { code.copyMemory(from: $0) }
        }
    }

    private static func fill(_ pad: UnsafeMutableRawBufferPointer, with key: UnsafeRawBufferPointer, xor mask: UInt8) {
        for index in 0..<blockByteCount {
            pad[index] = (index < key.count ? key[index] : 0) ^ mask
        }
    }
}
