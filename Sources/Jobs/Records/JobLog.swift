import Foundation
import Injector
import SecretStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Appends a job's log as JSON lines, one `write(2)` per line so that readers (`jobrunner logs --follow`) never see
/// half a line, from the several threads that copy a child's streams.
public final class JobLog: Sendable {
    /// Where the log of `job` lives.
    public static func path(for job: JobID, dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("logs/\(job.rawValue).jsonl")
    }

    /// The log's path.
    public let path: String
    private let job: JobID
    private let descriptor: Mutex<Int32>

    /// Creates the log of `job` (mode 0600, in a 0700 `logs` directory).
    public init(job: JobID, dataDirectory: String) throws {
        self.job = job
        path = Self.path(for: job, dataDirectory: dataDirectory)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JobRecordError("cannot create the job log \(path): \(String(cString: strerror(errno)))") }
        descriptor = Mutex(fd)
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }

    /// Appends one line of `stream` from `step`.
    public func append(step: String, stream: String, message: String) {
        let line = JobLogEntry(job: job, step: step, stream: stream, message: message).jsonLine
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            line.withUnsafeBytes { DescriptorWriter.writeAll($0, to: fd) }
        }
    }

    /// Reads every entry of a log file, skipping lines that do not parse (a crash mid-write leaves none, but a
    /// hand-edited file might).
    public static func entries(atPath path: String) throws -> [JobLogEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobRecordError("no log at \(path)")
        }
        return entries(in: data[...]).entries
    }

    /// Parses the complete lines of `data`, returning them and how many bytes they used (a partial last line is
    /// left for the next read).
    public static func entries(in data: Data.SubSequence) -> (entries: [JobLogEntry], consumed: Int) {
        var entries: [JobLogEntry] = []
        var start = data.startIndex
        var consumed = 0
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let entry = try? decoder.decode(JobLogEntry.self, from: data[start..<newline]) { entries.append(entry) }
            start = data.index(after: newline)
            consumed = start - data.startIndex
        }
        return (entries, consumed)
    }

    private static let decoder = JSONDecoder()
}
