import Dispatch
import Glibc
import NIOCore
import Synchronization

/// The `.incomplete` file a download streams into. Received buffers arrive in batches of about 1 MiB (see
/// ``BlobBodyDelegate``) and are written, without copying, with one `writev` per batch on a queue of the writer's
/// own: copying a gigabyte into the page cache costs about as much CPU as receiving it, and while the receiver
/// waited for each write, the connection was not read. When more than ``maximumInFlightBytes`` wait to be
/// written, the receiver waits for the disk (``whenCaughtUp(on:)``).
final class BlobFileWriter: @unchecked Sendable {
    /// How far the writes may fall behind the receiver.
    static let maximumInFlightBytes = 16 << 20

    /// Bytes in the file plus bytes handed over and not yet written: where the next received byte belongs.
    /// Touched by the receiving task only.
    private(set) var length: Int64
    private let fd: Int32
    private let path: String
    private let queue = DispatchQueue(label: "huggingface.blob-writer")
    private let inFlightBytes = Atomic<Int>(0)
    /// The first write that failed; later batches are dropped, and the receiver is told at its next call.
    private let failure = Mutex<HubError?>(nil)

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

    /// Hands `buffers` (`byteCount` readable bytes in all) to the writing queue; throws what an earlier write
    /// failed with, such as a full disk.
    func append(_ buffers: [ByteBuffer], byteCount: Int) throws(HubError) {
        try throwFailure()
        guard byteCount > 0 else { return }
        length += Int64(byteCount)
        inFlightBytes.add(byteCount, ordering: .relaxed)
        queue.async {
            defer { self.inFlightBytes.subtract(byteCount, ordering: .relaxed) }
            guard self.failure.withLock({ $0 == nil }) else { return }
            do throws(HubError) {
                try self.write(buffers)
            } catch {
                self.failure.withLock { $0 = error }
            }
        }
    }

    /// When more than ``maximumInFlightBytes`` wait to be written: a future on `eventLoop` that completes once
    /// everything handed over so far is written, for the receiver to wait on before it reads more. Nil otherwise.
    func whenCaughtUp(on eventLoop: any EventLoop) -> EventLoopFuture<Void>? {
        inFlightBytes.load(ordering: .relaxed) > Self.maximumInFlightBytes ? queue.whenDone(on: eventLoop) : nil
    }

    /// Waits until everything handed over is in the file; throws what a write failed with.
    func flush() throws(HubError) {
        queue.sync {}
        try throwFailure()
    }

    /// Empties the file (the server ignored our Range and sent everything again), once the writes handed over
    /// are done; a failure among them no longer matters.
    func truncateToEmpty() throws(HubError) {
        queue.sync {}
        failure.withLock { $0 = nil }
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

    private func throwFailure() throws(HubError) {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Writes every buffer, in order, at the end of the file (on `queue`).
    private func write(_ buffers: [ByteBuffer]) throws(HubError) {
        var buffers = buffers
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
            // Buffers emptied by an earlier partial write are skipped.
            while index < buffers.count && buffers[index].readableBytes == 0 { index += 1 }
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
