import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads one output descriptor of a launched child on a thread of its own until end of file (EIO on a
/// pseudo-terminal once the child is gone), so the child never blocks on a full pipe; closes it at the end.
final class OutputCollector: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var ended = false

    /// Starts reading `descriptor`, which the collector then owns.
    init(descriptor: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                // 0: end of a pipe; EIO: every terminal-side descriptor of a pseudo-terminal is closed.
                if count <= 0 { break }
                lock.withLock { bytes.append(contentsOf: chunk[0..<count]) }
            }
            close(descriptor)
            lock.withLock { ended = true }
        }
        thread.start()
    }

    /// Everything read so far, as text.
    var text: String {
        lock.withLock { String(decoding: bytes, as: UTF8.self) }
    }

    /// Waits until `needle` has been read; fails when the stream ends first or nothing comes for a long time.
    func waitUntil(contains needle: String) async throws {
        try await Eventually.wait("output to contain \(needle.debugDescription)") { () throws -> Bool in
            let snapshot: (text: String, ended: Bool) = snapshot()
            if snapshot.text.contains(needle) { return true }
            if snapshot.ended {
                throw CollectorError("the stream ended without \(needle.debugDescription): \(snapshot.text.debugDescription)")
            }
            return false
        }
    }

    private func snapshot() -> (text: String, ended: Bool) {
        lock.lock()
        defer { lock.unlock() }
        return (String(decoding: bytes, as: UTF8.self), ended)
    }

    /// Waits for end of file and returns every byte.
    func waitForEnd() async throws -> [UInt8] {
        try await Eventually.wait("the output to end") { lock.withLock { ended } }
        return lock.withLock { bytes }
    }
}

/// A failure of the test's own expectations about a stream.
struct CollectorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
