import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process told apart from any later process that reuses its pid: the pid plus its start time in clock ticks
/// since boot (field 22 of `/proc/PID/stat`).
public struct RunnerIdentity: Hashable, Sendable {
    /// The process id.
    public let pid: Int32
    /// The start time in clock ticks since boot.
    public let startTime: Int64

    /// An identity read back from records.
    public init(pid: Int32, startTime: Int64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// This process.
    public static let current = RunnerIdentity(pid: getpid(), startTime: startTime(of: getpid()) ?? 0)

    /// Whether the process still runs (same pid and same start time).
    public var isAlive: Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return Self.startTime(of: pid) == startTime
    }

    /// Reads field 22 of `/proc/PID/stat`; the command name (field 2) may hold spaces and parentheses, so fields are
    /// counted after its last ')'.
    public static func startTime(of pid: Int32) -> Int64? {
        guard let text = readSmallFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ')' come field 3 (state) onwards, so field 22 is at index 19.
        guard fields.count > 19 else { return nil }
        return Int64(fields[19])
    }

    /// The text of a file of at most 4 KiB, read with plain system calls: Foundation's file reading costs an
    /// entrypoint, which records its own identity before every job, a measurable part of a millisecond.
    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { break }
            count += result
        }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
