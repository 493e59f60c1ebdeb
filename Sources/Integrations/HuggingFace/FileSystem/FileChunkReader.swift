import Glibc
import NIOCore

/// Reads a file front to back in large pieces, as ByteBuffers ready to hash or to send.
final class FileChunkReader {
    private let fd: Int32
    private let path: String
    private var offset: Int64 = 0

    init(path: String) throws(HubError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(errno, "opening", path) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// The next piece of at most `limit` bytes, or nil at the end of the file.
    func next(upTo limit: Int) throws(HubError) -> ByteBuffer? {
        var buffer = ByteBufferAllocator().buffer(capacity: limit)
        let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: limit) { bytes in
            max(0, pread(fd, bytes.baseAddress, limit, off_t(offset)))
        }
        if count == 0 { return nil }
        offset += Int64(count)
        return buffer
    }
}

/// A file as an async sequence of 1 MiB ByteBuffers: the streamed body of an LFS upload. Each iteration opens the
/// file again, so a retried request sends it from the start.
struct FileBodyChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let progress: (any HubTransferProgress)?

    struct AsyncIterator: AsyncIteratorProtocol {
        let reader: FileChunkReader?
        let failure: HubError?
        let progress: (any HubTransferProgress)?

        mutating func next() async throws -> ByteBuffer? {
            if let failure { throw failure }
            let chunk = try reader?.next(upTo: 1 << 20)
            if let chunk { progress?.bytesTransferred(Int64(chunk.readableBytes)) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        do {
            return AsyncIterator(reader: try FileChunkReader(path: path), failure: nil, progress: progress)
        } catch {
            return AsyncIterator(reader: nil, failure: error, progress: progress)
        }
    }
}
