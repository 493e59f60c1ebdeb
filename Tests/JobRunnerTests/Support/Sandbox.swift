import Foundation
import SecretStore
import Testing

/// A private directory for one test: a data directory, a config file, a HOME, and a way to run `jobrunner` there.
///
/// Tests run in parallel, so each one works in its own sandbox; the child's environment is cleaned of every
/// `JOBRUNNER_*` variable and HOME points inside the sandbox, so nothing reads or writes the developer's files.
final class Sandbox: @unchecked Sendable {
    /// The sandbox's root, removed when the sandbox goes away (unless `JOBRUNNER_KEEP_TEST_DIRS` is set).
    let root: URL
    /// The data directory passed with `--data-dir`.
    let dataDirectory: URL
    /// HOME for child processes.
    let home: URL
    /// The config file passed with `--config`, if one was written.
    private(set) var configFile: URL?
    /// Variables added to every child's environment (e.g. a `from_env` key).
    var environment: [String: String] = [:]

    /// A fresh sandbox; with `config`, a config file holding it is written and passed to every command.
    init(config: EncryptionConfig? = nil) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("jobrunner-e2e-\(UUID().uuidString.prefix(8))", isDirectory: true)
        dataDirectory = root.appendingPathComponent("data", isDirectory: true)
        home = root.appendingPathComponent("home", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let config { try writeConfig(config) }
    }

    /// A sandbox whose config holds one inline provider, `key`, as current.
    convenience init(key: TestKey) throws {
        try self.init(config: .inline(current: key.name, [key]))
    }

    deinit {
        if ProcessInfo.processInfo.environment["JOBRUNNER_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// Writes (or replaces) the config file passed to later commands.
    func writeConfig(_ config: EncryptionConfig) throws {
        try writeConfig(text: config.yaml)
    }

    /// Writes arbitrary YAML as the config file, for tests of malformed configs.
    func writeConfig(text: String) throws {
        let file = root.appendingPathComponent("config.yaml")
        try Data(text.utf8).write(to: file)
        configFile = file
    }

    /// The database file and its WAL companions.
    var databaseFiles: [URL] {
        ["secrets.sqlite", "secrets.sqlite-wal", "secrets.sqlite-shm"].map { dataDirectory.appendingPathComponent($0) }
    }

    /// Writes `contents` to a file inside the sandbox and returns its path.
    @discardableResult
    func file(_ name: String, _ contents: Data) throws -> String {
        let url = root.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    /// Writes `text` (UTF-8) to a file inside the sandbox and returns its path.
    @discardableResult
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, Data(text.utf8))
    }

    /// The environment a child starts with: ours without `JOBRUNNER_*`, HOME in the sandbox, TZ away from UTC,
    /// plus `extra`.
    func childEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var result = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("JOBRUNNER_") }
        result["HOME"] = home.path
        // Far from UTC, so a timestamp written in local time instead of UTC shows.
        result["TZ"] = "Asia/Kathmandu"
        result.merge(environment) { $1 }
        result.merge(extra) { $1 }
        return result
    }

    /// The global options for this sandbox: `--data-dir` and, when a config was written, `--config`.
    var globalOptions: [String] {
        ["--data-dir", dataDirectory.path] + (configFile.map { ["--config", $0.path] } ?? [])
    }

    /// Starts `jobrunner` with `arguments` (after the global options unless `globalOptions` is false).
    func start(
        _ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:], globalOptions: Bool = true
    ) throws -> ChildProcess {
        try ChildProcess(
            executable: try JobRunnerExecutable.require(),
            arguments: (globalOptions ? self.globalOptions : []) + arguments,
            environment: childEnvironment(extra),
            stdin: stdin)
    }

    /// Runs `jobrunner` with `arguments` to completion.
    @discardableResult
    func run(
        _ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:], globalOptions: Bool = true
    ) throws -> CommandResult {
        try start(arguments, stdin: stdin, environment: extra, globalOptions: globalOptions).wait()
    }

    /// Runs `jobrunner` with `arguments` and records an issue unless it exits 0.
    @discardableResult
    func succeed(
        _ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:], globalOptions: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandResult {
        let result = try run(arguments, stdin: stdin, environment: extra, globalOptions: globalOptions)
        #expect(result.exitCode == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Opens the same database in-process through the library, e.g. to prepare many secrets quickly.
    func libraryStore(keyRing: KeyRing) throws -> SecretStore {
        try SecretStore(databasePath: dataDirectory.appendingPathComponent("secrets.sqlite").path, keyRing: keyRing)
    }
}

/// Checks a failed command the way the issue states the error contract.
///
/// Exit code as given; standard output empty; standard error exactly one line starting with `error: `, with no
/// stack trace or crash report. Sandboxes with a configured provider print no warnings, so the line must be the
/// only one; `allowingWarnings` lets `warning:` log lines (development key, `--from-literal`) stand beside it.
func expectFailure(
    _ result: CommandResult, exitCode: Int32, mentioning fragments: [String] = [], allowingWarnings: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.exitCode == exitCode, "\(result)", sourceLocation: sourceLocation)
    #expect(!result.wasSignalled, "crashed: \(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout should be empty on failure: \(result)", sourceLocation: sourceLocation)
    let lines = allowingWarnings ? result.errorLinesWithoutLogs : result.errorLines
    #expect(lines.count == 1, "expected exactly one error line: \(result)", sourceLocation: sourceLocation)
    #expect(lines.first?.hasPrefix("error: ") == true, "\(result)", sourceLocation: sourceLocation)
    for marker in ["Fatal error", "Stack dump", "Backtrace", "Current stack trace", "0x0000"] {
        #expect(!result.errorOutput.contains(marker), "looks like a crash: \(result)", sourceLocation: sourceLocation)
    }
    for fragment in fragments {
        #expect(
            result.errorOutput.contains(fragment), "stderr should mention '\(fragment)': \(result)",
            sourceLocation: sourceLocation)
    }
}
