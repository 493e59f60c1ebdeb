import Glibc
import NIOCore

/// The `.incomplete` file a download streams into: received buffers are kept (not copied) until about 1 MiB is
/// pending, then written with one `writev`, so a gigabyte costs about a thousand system calls and no extra copy.
final class BlobFileWriter {
    /// Bytes in the file plus bytes pending: where the next received byte belongs.
    private(set) var length: Int64
    private let fd: Int32
    private let path: String
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    private static let flushThreshold = 1 << 20

    /// Opens (or creates) `path` for appending, keeping what an earlier attempt (or huggingface_hub) wrote.
    init(path: String) throws(HubError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileSystem(errno, "opening", path) }
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else {
            let code = errno
            close(fd)
            throw .fileSystem(code, "opening", path)
        }
        self.fd = fd
        self.path = path
        self.length = Int64(end)
    }

    deinit { close(fd) }

    /// Queues `buffer` for writing; writes the queue once it holds about 1 MiB.
    func append(_ buffer: ByteBuffer) throws(HubError) {
        pending.append(buffer)
        pendingBytes += buffer.readableBytes
        length += Int64(buffer.readableBytes)
        if pendingBytes >= Self.flushThreshold { try flush() }
    }

    /// Writes every queued buffer.
    func flush() throws(HubError) {
        guard !pending.isEmpty else { return }
        var buffers = pending
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        var index = 0
        while index < buffers.count {
            let batch = min(buffers.count - index, 512)
            let written: Int = withIOVectors(buffers[index..<(index + batch)]) { vectors in
                var result: Int
                repeat { result = writev(fd, vectors.baseAddress, Int32(vectors.count)) } while result < 0 && errno == EINTR
                return result
            }
            guard written >= 0 else { throw .fileSystem(errno, "writing", path) }
            guard written > 0 else { throw .fileSystem(ENOSPC, "writing", path) }
            var remaining = written
            while remaining > 0 {
                let size = buffers[index].readableBytes
                if remaining >= size {
                    remaining -= size
                    index += 1
                } else {
                    buffers[index].moveReaderIndex(forwardBy: remaining)
                    remaining = 0
                }
            }
        }
    }

    /// Empties the file (the server ignored our Range and sent everything again).
    func truncateToEmpty() throws(HubError) {
        pending.removeAll()
        pendingBytes = 0
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { throw .fileSystem(errno, "truncating", path) }
        length = 0
    }

    /// Feeds the first `length` bytes already in the file to `consume` (a resumed download's hash needs them).
    func readExisting(_ consume: (UnsafeRawBufferPointer) -> Void) throws(HubError) {
        try flush()
        let chunk = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while offset < length {
            let count = pread(fd, buffer.baseAddress, min(chunk, Int(length - offset)), off_t(offset))
            guard count > 0 else { throw .fileSystem(count < 0 ? errno : EIO, "reading", path) }
            consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += Int64(count)
        }
    }

    private func withIOVectors<R>(_ buffers: ArraySlice<ByteBuffer>, _ body: (UnsafeBufferPointer<iovec>) -> R) -> R {
        // ByteBuffer storage stays alive and unmoved while `buffers` is held; the vectors point into it.
        var vectors: [iovec] = []
        vectors.reserveCapacity(buffers.count)
        for buffer in buffers {
            buffer.withUnsafeReadableBytes { bytes in
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count))
            }
        }
        return vectors.withUnsafeBufferPointer(body)
    }
}
