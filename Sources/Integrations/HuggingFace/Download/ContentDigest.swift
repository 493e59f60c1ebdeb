import Crypto
import NIOCore

/// The checksum a downloaded file must match, computed while it streams: sha256 of the content for LFS files,
/// the git blob sha1 (`"blob <size>\0" + content`) for the rest. Either is the file's ETag and blob name.
struct ContentDigest {
    // Two optionals rather than an enum with payloads: `sha256!.update` mutates in place, without copying the
    // hash state on every chunk.
    private var sha256: SHA256?
    private var gitBlob: Insecure.SHA1?
    private let lfs: Bool
    private let size: Int64

    /// A digest for a file of `size` bytes; `lfs` picks sha256, otherwise the git blob sha1.
    init(lfs: Bool, size: Int64) {
        self.lfs = lfs
        self.size = size
        reset()
    }

    /// Adds bytes.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if lfs { sha256!.update(bufferPointer: bytes) } else { gitBlob!.update(bufferPointer: bytes) }
    }

    /// Adds the readable bytes of `buffer`.
    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { update($0) }
    }

    /// Forgets everything added (a download restarting from byte 0).
    mutating func reset() {
        if lfs {
            sha256 = SHA256()
        } else {
            var hash = Insecure.SHA1()
            hash.update(data: Array("blob \(size)\0".utf8))
            gitBlob = hash
        }
    }

    /// The hex digest of what was added.
    func hexDigest() -> String {
        lfs ? sha256!.finalize().hexString : gitBlob!.finalize().hexString
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex, as the Hub writes hashes.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
