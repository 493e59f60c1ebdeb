import Glibc

/// The lock huggingface_hub takes (through `filelock`, an exclusive `flock`) on `.locks/<folder>/<etag>.lock`
/// while it downloads a blob. Taking the same lock keeps this client and a concurrent Python process from writing
/// the same `.incomplete` file at once.
final class BlobLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Waits (politely, polling) until the lock at `path` is free, then holds it until `release()`.
    static func acquire(_ path: String) async throws -> BlobLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HubError.fileSystem(errno, "opening the lock", path) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(fd)
                throw HubError.fileSystem(code, "locking", path)
            }
            do {
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                close(fd)
                throw error
            }
        }
        return BlobLock(fd: fd)
    }

    /// Releases the lock.
    func release() {
        close(fd)
    }
}
