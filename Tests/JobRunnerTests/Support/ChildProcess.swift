import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished child process left behind: its exit status and everything it wrote.
struct CommandResult: Sendable, CustomStringConvertible {
    /// The arguments it ran with (without the executable), for failure messages.
    let arguments: [String]
    /// The exit status, or 128 + signal number when a signal ended it (as a shell reports it).
    let exitCode: Int32
    /// Whether a signal, not `exit`, ended it.
    let wasSignalled: Bool
    /// Everything written to standard output.
    let stdout: Data
    /// Everything written to standard error.
    let stderr: Data

    /// Standard output as text.
    var output: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text.
    var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
    /// Standard error split into lines, without the empty piece after a final newline.
    var errorLines: [String] {
        var lines = errorOutput.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
    /// The lines of standard error that are not log warnings or info lines, i.e. the reported errors.
    var errorLinesWithoutLogs: [String] {
        errorLines.filter { !$0.hasPrefix("warning: ") && !$0.hasPrefix("info: ") && !$0.hasPrefix("notice: ") }
    }

    /// Parses standard output as one JSON object.
    func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            throw ChildProcessError("stdout of \(arguments) is not a JSON object: \(output)")
        }
        return object
    }

    var description: String {
        "jobrunner \(arguments.joined(separator: " ")) → exit \(exitCode)\nstdout: \(output)\nstderr: \(errorOutput)"
    }
}

/// A failure of the test harness itself (not of the code under test).
struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A child process started with pipes on all three standard streams, read concurrently so it never blocks.
///
/// `Process` gives us the pid (for SIGKILL in the crash tests); the streams are drained on background queues so
/// a child writing a lot cannot deadlock against a parent still writing its standard input.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let arguments: [String]
    private let drained = DispatchGroup()
    private let stdoutBuffer = LockedData()
    private let stderrBuffer = LockedData()

    /// Starts `executable` with `arguments` and exactly `environment`, feeding `stdin` then closing it.
    init(executable: URL, arguments: [String], environment: [String: String], stdin: Data?) throws {
        Self.ignoreBrokenPipes
        self.arguments = arguments
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        let error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()

        for (pipe, buffer) in [(output, stdoutBuffer), (error, stderrBuffer)] {
            let handle = pipe.fileHandleForReading
            startThread {
                // Read as it comes, so a long-running child (a server) can be watched while it runs.
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                }
            }
        }
        let writer = input.fileHandleForWriting
        let data = stdin ?? Data()
        startThread {
            // The child may exit without reading (e.g. on a usage error); EPIPE is then expected and harmless.
            try? writer.write(contentsOf: data)
            try? writer.close()
        }
    }

    /// Runs `body` on a thread of its own, counted in `drained`.
    ///
    /// Not on Dispatch's global queue: its threads are as many as the cores, and they are also where tests run.
    /// Tests that wait for children synchronously (`Process.waitUntilExit` spins a run loop, so the pool does not
    /// see it as blocked and adds no thread) then held every one of them while the child waited for its standard
    /// input, which a queued block was to write: a test run hung that way for 15 minutes.
    private func startThread(_ body: @escaping @Sendable () -> Void) {
        drained.enter()
        let group = drained
        Thread {
            body()
            group.leave()
        }.start()
    }

    /// The child's process id.
    var pid: pid_t { process.processIdentifier }

    /// What the child has written to standard error so far.
    var errorOutputSoFar: String { String(decoding: stderrBuffer.get(), as: UTF8.self) }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the child (e.g. SIGKILL), if it is still running.
    func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits for the child to end and its output to be read, and returns what it did.
    func wait() -> CommandResult {
        process.waitUntilExit()
        drained.wait()
        let signalled = process.terminationReason == .uncaughtSignal
        return CommandResult(
            arguments: arguments,
            exitCode: signalled ? 128 + process.terminationStatus : process.terminationStatus,
            wasSignalled: signalled,
            stdout: stdoutBuffer.get(),
            stderr: stderrBuffer.get())
    }

    /// Writing to a pipe whose reader has exited must not kill the test process.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()
}

/// Bytes shared between the reading queue and the waiting thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ newValue: Data) { lock.withLock { data = newValue } }
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    func get() -> Data { lock.withLock { data } }
}
