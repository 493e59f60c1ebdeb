import Foundation
import SecretStore
import Testing

/// `--data-dir` and `--config` before or after the command, and their environment variables.
@Suite("Global options")
struct GlobalOptionsTests {
    /// Where the two global options are written on the command line.
    enum Placement: String, CaseIterable, Sendable {
        case beforeCommand, afterCommand, withEqualsBeforeCommand, splitAroundCommand, environmentVariables
    }

    /// Every placement must reach the same data directory with the same config, for every kind of command.
    @Test("global options work before and after the subcommand, and from the environment", arguments: Placement.allCases)
    func placement(_ placement: Placement) throws {
        let key = TestKey(name: "v1")
        let sandbox = try Sandbox(key: key)
        let dataDir = sandbox.dataDirectory.path
        let config = try #require(sandbox.configFile?.path)

        func invoke(_ command: [String], stdin: Data? = nil) throws -> CommandResult {
            let arguments: [String]
            var environment: [String: String] = [:]
            let subcommandLength = command.first == "secrets" || command.first == "workspaces" || command.first == "admin" ? 2 : 1
            let path = Array(command.prefix(subcommandLength))
            let rest = Array(command.dropFirst(subcommandLength))
            switch placement {
            case .beforeCommand:
                arguments = ["--data-dir", dataDir, "--config", config] + command
            case .afterCommand:
                arguments = path + rest + ["--config", config, "--data-dir", dataDir]
            case .withEqualsBeforeCommand:
                arguments = ["--data-dir=\(dataDir)", "--config=\(config)"] + command
            case .splitAroundCommand:
                arguments = ["--config", config] + path + ["--data-dir", dataDir] + rest
            case .environmentVariables:
                arguments = command
                environment = ["JOBRUNNER_DATA_DIR": dataDir, "JOBRUNNER_CONFIG": config]
            }
            let result = try sandbox.run(arguments, stdin: stdin, environment: environment, globalOptions: false)
            #expect(result.exitCode == 0, "\(placement): \(result)")
            // A configured provider means no development key and no warning about one.
            #expect(!result.errorOutput.contains("evaluation only"), "\(placement) ignored the config: \(result)")
            return result
        }

        try invoke(["secrets", "create", "tok", "--from-file", "-"], stdin: Data("value-1".utf8))
        #expect(try invoke(["secrets", "access", "tok"]).output == "value-1")
        try invoke(["secrets", "update", "tok", "--description", "d"])
        #expect(try invoke(["secrets", "get", "tok", "--output", "json"]).jsonObject()["description"] as? String == "d")
        #expect(try invoke(["secrets", "list", "--output", "json"]).output.contains("\"tok\""))
        try invoke(["workspaces", "create", "w"])
        #expect(try invoke(["workspaces", "list", "--output", "json"]).output.contains("\"w\""))
        #expect(try invoke(["admin", "rotate-encryption-keys", "--output", "json"]).jsonObject()["success"] as? Bool == true)

        // The secret landed in this data directory, wrapped by the configured key, and nowhere else.
        let store = try sandbox.libraryStore(keyRing: KeyRing(current: try key.provider()))
        #expect(try store.secretCountsByProvider() == ["v1": 1])
        #expect(try store.accessSecret(SecretReference(parsing: "tok")).revealedString() == "value-1")
        #expect(!FileManager.default.fileExists(atPath: sandbox.dataDirectory.appendingPathComponent("dev-encryption-key").path))
        #expect(!FileManager.default.fileExists(atPath: sandbox.home.appendingPathComponent(".local/share/jobrunner").path))
    }

    /// Explicit options win over the environment, and DATA_DIR/config.yaml is read when nothing else names a config.
    @Test("options override the environment; DATA_DIR/config.yaml is the implicit config")
    func precedence() throws {
        let key = TestKey(name: "v1")
        let sandbox = try Sandbox(key: key)
        let elsewhere = sandbox.root.appendingPathComponent("elsewhere").path
        let broken = try sandbox.file("broken.yaml", "secrets: [not, a, mapping")
        let config = try #require(sandbox.configFile)

        // --data-dir beats JOBRUNNER_DATA_DIR, --config beats JOBRUNNER_CONFIG.
        try sandbox.succeed(
            ["secrets", "create", "tok", "--from-literal", "x"],
            environment: ["JOBRUNNER_DATA_DIR": elsewhere, "JOBRUNNER_CONFIG": broken])
        #expect(!FileManager.default.fileExists(atPath: elsewhere))
        #expect(try sandbox.succeed(["secrets", "access", "tok"]).output == "x")

        // With neither option nor variable, the config is DATA_DIR/config.yaml.
        try FileManager.default.copyItem(at: config, to: sandbox.dataDirectory.appendingPathComponent("config.yaml"))
        let implicit = try sandbox.run(
            ["--data-dir", sandbox.dataDirectory.path, "secrets", "access", "tok"], globalOptions: false)
        #expect(implicit.exitCode == 0, "\(implicit)")
        #expect(implicit.output == "x")
        #expect(!implicit.errorOutput.contains("evaluation only"), "\(implicit)")

        // With no option and no variable, the data directory is ~/.local/share/jobrunner (HOME is the sandbox's).
        let defaulted = try sandbox.run(["--config", config.path, "secrets", "create", "home", "--from-literal", "y"], globalOptions: false)
        #expect(defaulted.exitCode == 0, "\(defaulted)")
        #expect(FileManager.default.fileExists(atPath: sandbox.home.appendingPathComponent(".local/share/jobrunner/secrets.sqlite").path))
    }
}
