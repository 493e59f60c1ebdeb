import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `jobrunner serve --port 0` as a child process, its log going to a file that tests read while it runs.
///
/// Used where the process boundary is the point: signals and shutdown, and hostile input, where a crash must
/// fail one test rather than take the whole test run down with it.
final class ServeProcess: @unchecked Sendable {  // `process` is only read after init; Process is thread-safe
    /// The bound port, from the "Serving the secrets API on http://127.0.0.1:PORT" log line.
    let port: Int
    /// The process id, for signals.
    let pid: pid_t
    /// Standard output and standard error of the child.
    let logFile: String
    private let process: Process

    private init(port: Int, pid: pid_t, logFile: String, process: Process) {
        self.port = port
        self.pid = pid
        self.logFile = logFile
        self.process = process
    }

    /// Starts `jobrunner serve` on the store in `dataDirectory` and waits until it reports its port.
    static func start(dataDirectory: String, config: String? = nil, arguments: [String] = []) async throws -> ServeProcess {
        let executable = try #require(
            JobRunnerBinary.url, "the jobrunner executable was not found beside the tests; run 'swift build --build-tests'")
        let logFile = (dataDirectory as NSString).appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: logFile, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory] + (config.map { ["--config", $0] } ?? []) + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": dataDirectory, "JOBRUNNER_LOG_LEVEL": "info"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()

        // Waits for the log line, or for the child to give up; not a timing assertion, a start-up wait.
        let marker = "Serving the secrets API on http://127.0.0.1:"
        for _ in 0..<6000 {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            if let range = log.range(of: marker) {
                let digits = log[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return ServeProcess(port: port, pid: process.processIdentifier, logFile: logFile, process: process) }
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.terminate()
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        throw ServeProcessError("jobrunner serve did not report its port:\n\(log)")
    }

    /// Everything the child has logged so far.
    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// The part of the log that explains a crash: the runtime's message and the crashed thread's top frames.
    var crashReport: String {
        let lines = log.components(separatedBy: "\n")
        var report: [String] = []
        for (index, line) in lines.enumerated() {
            if line.contains(" crashed:") {
                report += lines[index..<min(index + 8, lines.count)]
                break
            }
            if line.contains("runtime failure") || line.contains("Fatal error") || line.contains("Signal ") {
                report.append(line)
            }
        }
        return report.isEmpty ? String(log.suffix(1500)) : report.joined(separator: "\n")
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits (on a thread of its own) for the child to end; its exit status, or 128 + signal if one ended it.
    func exitStatus() async -> Int32 {
        let process = self.process
        return await withCheckedContinuation { continuation in
            Thread {
                process.waitUntilExit()
                let signalled = process.terminationReason == .uncaughtSignal
                continuation.resume(returning: signalled ? 128 + process.terminationStatus : process.terminationStatus)
            }.start()
        }
    }

    /// Whether the child is still running.
    var isRunning: Bool { process.isRunning }

    /// Waits until `text` appears in the log, or the child exits; returns whether it appeared.
    func waitForLog(_ text: String) async throws -> Bool {
        while isRunning {
            if log.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return log.contains(text)
    }

    /// Kills the child if a test left it running.
    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
    }
}

/// Why a child server could not be used.
struct ServeProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Finds the `jobrunner` executable: `$JOBRUNNER_BIN`, else beside the test bundle in `.build/<configuration>/`.
enum JobRunnerBinary {
    static let url: URL? = {
        if let explicit = ProcessInfo.processInfo.environment["JOBRUNNER_BIN"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        var candidates = [Bundle.main.bundleURL]
        if let first = CommandLine.arguments.first { candidates.insert(URL(fileURLWithPath: first).deletingLastPathComponent(), at: 0) }
        for directory in candidates {
            var current = directory.standardizedFileURL
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("jobrunner")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        return nil
    }()
}
