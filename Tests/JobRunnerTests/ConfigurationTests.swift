import Foundation
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The encryption config as an operator meets it: clear one-line errors that name the setting at fault, and the
/// development key when nothing is configured.
@Suite("Encryption configuration through the CLI")
struct ConfigurationTests {
    /// A broken config and what its error must name. Config errors are invalid input: exit 2.
    struct BrokenConfig: Sendable, CustomTestStringConvertible {
        let label: String
        /// The YAML; `KEY32` is replaced by a valid base64 key, `KEY16` by a 16-byte one.
        let yaml: String
        var environment: [String: String] = [:]
        let mentioning: [String]

        var testDescription: String { label }
    }

    static let missingVariable = "JOBRUNNER_E2E_UNSET_\(randomHex(6).uppercased())"

    static let brokenConfigs: [BrokenConfig] = [
        BrokenConfig(
            label: "from_env names an unset variable",
            yaml: config(current: "v2", ["v1: { value: \"KEY32\" }", "v2: { from_env: \(missingVariable) }"]),
            mentioning: [missingVariable, "secrets.encryption.providers.secret_key.v2"]),
        BrokenConfig(
            label: "from_env names an empty variable",
            yaml: config(current: "v1", ["v1: { from_env: JOBRUNNER_E2E_EMPTY_KEY }"]),
            environment: ["JOBRUNNER_E2E_EMPTY_KEY": ""],
            mentioning: ["JOBRUNNER_E2E_EMPTY_KEY", "secrets.encryption.providers.secret_key.v1"]),
        BrokenConfig(
            label: "value is not base64",
            yaml: config(current: "v1", ["v1: { value: \"this is not base64!\" }"]),
            mentioning: ["base64", "secrets.encryption.providers.secret_key.v1"]),
        BrokenConfig(
            label: "from_env holds bad base64",
            yaml: config(current: "v1", ["v1: { from_env: JOBRUNNER_E2E_BAD_KEY }"]),
            environment: ["JOBRUNNER_E2E_BAD_KEY": "%%%not-base64%%%"],
            mentioning: ["base64", "secrets.encryption.providers.secret_key.v1"]),
        BrokenConfig(
            label: "key under 32 bytes",
            yaml: config(current: "v1", ["v1: { value: \"KEY16\" }"]),
            mentioning: ["32", "secrets.encryption.providers.secret_key.v1"]),
        BrokenConfig(
            label: "from_env key under 32 bytes",
            yaml: config(current: "v2", ["v1: { value: \"KEY32\" }", "v2: { from_env: JOBRUNNER_E2E_SHORT_KEY }"]),
            environment: ["JOBRUNNER_E2E_SHORT_KEY": TestKey(name: "short", byteCount: 31).base64],
            mentioning: ["32", "secrets.encryption.providers.secret_key.v2"]),
        BrokenConfig(
            label: "unknown current_provider",
            yaml: config(current: "v3", ["v1: { value: \"KEY32\" }", "v2: { value: \"KEY32\" }"]),
            mentioning: ["v3", "current_provider"]),
        BrokenConfig(
            label: "not YAML",
            yaml: "secrets:\n  encryption: [unclosed\n",
            mentioning: ["config.yaml"]),
    ]

    private static func config(current: String, _ providers: [String]) -> String {
        """
        secrets:
          encryption:
            current_provider: \(current)
            providers:
              secret_key:
        \(providers.map { "        " + $0 }.joined(separator: "\n"))

        """
    }

    /// Every command refuses a broken config with exit 2 and one line naming the provider, variable or key path,
    /// without echoing key material or the value being stored.
    @Test("a broken config is one clear error, exit 2", arguments: brokenConfigs)
    func brokenConfig(_ broken: BrokenConfig) throws {
        let key32 = TestKey(name: "k").base64
        let key16 = TestKey(name: "k", byteCount: 16).base64
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            text: broken.yaml.replacingOccurrences(of: "KEY32", with: key32)
                .replacingOccurrences(of: "KEY16", with: key16))
        sandbox.environment = broken.environment
        let value = randomHex(40)
        for (arguments, stdin) in [
            (["secrets", "list"], nil),
            (["secrets", "create", "tok", "--from-file", "-"], Data(value.utf8)),
            (["secrets", "access", "tok"], nil),
            (["admin", "rotate-encryption-keys", "--output", "json"], nil),
        ] as [([String], Data?)] {
            let result = try sandbox.run(arguments, stdin: stdin)
            expectFailure(result, exitCode: 2, mentioning: broken.mentioning)
            for secretText in [key32, key16, value] + broken.environment.values.filter({ !$0.isEmpty }) {
                #expect(!result.errorOutput.contains(secretText), "key material or value in the error: \(result)")
            }
            #expect(!result.errorOutput.contains("evaluation only"), "fell back to the development key: \(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.dataDirectory.appendingPathComponent("dev-encryption-key").path))
    }

    /// A config file named explicitly must exist; the error says where the name came from.
    @Test("a missing config file is exit 2 naming --config or JOBRUNNER_CONFIG")
    func missingConfigFile() throws {
        let sandbox = try Sandbox()
        let missing = sandbox.root.appendingPathComponent("nope.yaml").path
        let viaOption = try sandbox.run(["--config", missing, "secrets", "list"])
        expectFailure(viaOption, exitCode: 2, mentioning: [missing, "--config"])
        let viaEnvironment = try sandbox.run(["secrets", "list"], environment: ["JOBRUNNER_CONFIG": missing])
        expectFailure(viaEnvironment, exitCode: 2, mentioning: [missing, "JOBRUNNER_CONFIG"])
    }

    /// A row wrapped by a provider the config no longer declares cannot be decrypted: an internal failure (1)
    /// whose message names the secret and the provider and says where to put it back. Metadata still works.
    @Test("a secret whose provider was removed from the config: exit 1 naming the provider")
    func providerRemoved() throws {
        let v1 = TestKey(name: "v1")
        let v2 = TestKey(name: "v2")
        let sandbox = try Sandbox(key: v1)
        let value = randomHex(40)
        try sandbox.succeed(["secrets", "create", "old-tok", "--from-file", "-"], stdin: Data(value.utf8))
        try sandbox.writeConfig(.inline(current: "v2", [v2]))
        try sandbox.succeed(["secrets", "create", "new-tok", "--from-literal", "fresh"])

        let access = try sandbox.run(["secrets", "access", "old-tok"])
        expectFailure(access, exitCode: 1, mentioning: ["default/old-tok", "'v1'", "secrets.encryption.providers.secret_key"])
        #expect(!access.errorOutput.contains(value))
        #expect(try sandbox.succeed(["secrets", "access", "new-tok"]).output == "fresh")
        #expect(try sandbox.succeed(["secrets", "get", "old-tok", "--output", "json"]).jsonObject()["name"] as? String == "old-tok")
        #expect(try sandbox.succeed(["secrets", "list", "--output", "json"]).output.contains("old-tok"))

        // Rotation cannot move the orphaned row: it says so, counts it as a failure, and exits 1.
        let rotation = try sandbox.run(["admin", "rotate-encryption-keys", "--output", "json"])
        #expect(rotation.exitCode == 1, "\(rotation)")
        let report = try rotation.jsonObject()
        #expect(report["success"] as? Bool == false, "\(rotation)")
        #expect(report["rotated_secrets"] as? Int == 0, "\(rotation)")
        #expect(rotation.errorOutput.contains("default/old-tok") && rotation.errorOutput.contains("v1"), "\(rotation)")
        #expect(!rotation.errorOutput.contains("Completed rotation of encryption keys for all secrets"))
        #expect(!rotation.output.contains(value) && !rotation.errorOutput.contains(value))

        // Putting v1 back (not current) makes it readable again, and a rotation then finishes the job.
        try sandbox.writeConfig(.inline(current: "v2", [v1, v2]))
        #expect(try sandbox.succeed(["secrets", "access", "old-tok"]).output == value)
        let retry = try sandbox.succeed(["admin", "rotate-encryption-keys", "--output", "json"]).jsonObject()
        #expect(retry["rotated_secrets"] as? Int == 1 && retry["success"] as? Bool == true, "\(retry)")
    }

    /// A provider whose name is kept but whose key changed cannot unwrap old rows: a crypto failure, exit 1.
    @Test("a wrong key under the same provider name: exit 1 'cannot be decrypted' naming the secret")
    func wrongKey() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        let value = randomHex(40)
        try sandbox.succeed(["secrets", "create", "team-tok", "--from-file", "-"], stdin: Data(value.utf8))
        try sandbox.writeConfig(.inline(current: "v1", [TestKey(name: "v1")]))
        let access = try sandbox.run(["secrets", "access", "team-tok"])
        expectFailure(access, exitCode: 1, mentioning: ["default/team-tok", "cannot be decrypted"])
        #expect(!access.errorOutput.contains(value))
    }

    /// Without any provider, a development key (0600) is created once in the data directory, and every command
    /// warns that it is for evaluation only.
    @Test("no config: a development key is created once, 0600, with a warning on every command")
    func developmentKey() throws {
        let sandbox = try Sandbox()
        // A data directory that does not exist yet: the CLI creates it, private to its owner.
        let dataDir = sandbox.root.appendingPathComponent("fresh/data")
        let keyFile = dataDir.appendingPathComponent("dev-encryption-key")
        func run(_ arguments: [String], stdin: Data? = nil) throws -> CommandResult {
            try sandbox.run(["--data-dir", dataDir.path] + arguments, stdin: stdin, globalOptions: false)
        }

        let first = try run(["secrets", "create", "tok", "--from-file", "-"], stdin: Data("dev-value".utf8))
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.errorOutput.contains("Created a development encryption key"), "\(first)")
        #expect(first.errorOutput.contains("evaluation only"), "\(first)")
        #expect(first.errorLines.allSatisfy { $0.hasPrefix("warning: ") }, "\(first)")
        #expect(try permissions(keyFile) == 0o600)
        #expect(try permissions(dataDir) == 0o700)
        #expect(try permissions(dataDir.appendingPathComponent("secrets.sqlite")) == 0o600)
        let keyBytes = try Data(contentsOf: keyFile)

        for arguments in [
            ["secrets", "access", "tok"], ["secrets", "list"], ["workspaces", "list"],
            ["admin", "rotate-encryption-keys"],
        ] {
            let later = try run(arguments)
            #expect(later.exitCode == 0, "\(later)")
            #expect(later.errorOutput.contains("evaluation only"), "no warning: \(later)")
            #expect(!later.errorOutput.contains("Created a development encryption key"), "key made again: \(later)")
        }
        #expect(try run(["secrets", "access", "tok"]).output == "dev-value")
        #expect(try Data(contentsOf: keyFile) == keyBytes, "the development key changed")
        let contents = try FileManager.default.contentsOfDirectory(atPath: dataDir.path)
        #expect(contents.filter { $0.hasPrefix("dev-encryption-key") } == ["dev-encryption-key"], "\(contents)")

        // Errors keep their single error line beside the warning.
        expectFailure(try run(["secrets", "get", "missing"]), exitCode: 3, allowingWarnings: true)

        // Configuring a real provider later: development-key rows stay readable and one rotation moves them.
        let v1 = TestKey(name: "v1")
        try sandbox.writeConfig(.inline(current: "v1", [v1]))
        let config = try #require(sandbox.configFile?.path)
        let configured = try run(["--config", config, "secrets", "access", "tok"])
        #expect(configured.exitCode == 0 && configured.output == "dev-value", "\(configured)")
        #expect(!configured.errorOutput.contains("evaluation only"), "\(configured)")
        let rotated = try run(["--config", config, "admin", "rotate-encryption-keys", "--output", "json"])
        #expect(rotated.output.contains("\"rotated_secrets\":1"), "\(rotated)")
        let store = try SecretStore(
            databasePath: dataDir.appendingPathComponent("secrets.sqlite").path, keyRing: KeyRing(current: try v1.provider()))
        #expect(try store.secretCountsByProvider() == ["v1": 1])
        #expect(try store.accessSecret(SecretReference(parsing: "tok")).revealedString() == "dev-value")
    }

    private func permissions(_ url: URL) throws -> Int {
        var info = stat()
        #expect(stat(url.path, &info) == 0, "cannot stat \(url.path)")
        return Int(info.st_mode & 0o777)
    }
}
