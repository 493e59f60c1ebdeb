import Foundation
import Injector
import SecretStore

#if canImport(Glibc)
    import Glibc
#endif

/// Builds launch requests for real children and runs them to the end.
enum LaunchFixture {
    /// The `PATH` every test child gets.
    static let searchPath = "/usr/local/bin:/usr/bin:/bin"

    /// Both isolation modes, for tests that must hold in each.
    static let modes: [IsolationPreference] = [.namespace, .sharedMemory]

    /// A request with `PATH` and `extra` as the whole environment.
    static func request(
        _ argv: [String], environment extra: [(String, String)] = [], isolation: IsolationPreference,
        workingDirectory: String = "/", files: [SecretFile] = [], directory: TmpfsSecretDirectory? = nil,
        output: OutputWiring = .pipes
    ) -> LaunchRequest {
        LaunchRequest(
            argv: argv, environment: [("PATH", searchPath)] + extra, workingDirectory: workingDirectory,
            secretFiles: files, secretsDirectory: directory, isolation: isolation, output: output)
    }

    /// The isolation a successful launch in `preference` reports.
    static func expectedIsolation(_ preference: IsolationPreference) -> Isolation {
        preference == .sharedMemory ? .sharedMemory(reason: "requested by the caller") : .namespace
    }
}

/// A child run to its end: how it ended and what it wrote.
struct FinishedChild {
    let exit: ChildExit
    let stdoutBytes: [UInt8]
    let stderrBytes: [UInt8]
    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// A launched child with its output being collected.
struct RunningChild {
    let child: LaunchedChild
    let stdout: OutputCollector
    let stderr: OutputCollector

    /// Launches `request` and starts collecting its output.
    init(_ request: LaunchRequest) throws {
        child = try ChildLauncher.launch(request)
        stdout = OutputCollector(descriptor: child.stdout)
        stderr = OutputCollector(descriptor: child.stderr)
    }

    /// Waits for the exit and the end of both streams, then removes the secrets directory.
    func finish() async throws -> FinishedChild {
        let exit = await child.waitForExit()
        let out = try await stdout.waitForEnd()
        let err = try await stderr.waitForEnd()
        try child.removeSecretsDirectory()
        return FinishedChild(exit: exit, stdoutBytes: out, stderrBytes: err)
    }

    /// Launches `request` and runs it to the end.
    static func run(_ request: LaunchRequest) async throws -> FinishedChild {
        try await RunningChild(request).finish()
    }
}

/// A scratch directory on disk, removed when the test is done with it.
final class ScratchDirectory {
    /// Its absolute, symlink-free path.
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/launch-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        let raw = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        path = URL(fileURLWithPath: raw).resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` with `mode` and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String, mode: Int = 0o644) throws -> String {
        let file = path + "/" + name
        try contents.write(toFile: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }
}

/// Whether something exists at `path` (without following a final symbolic link).
func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}
