import Foundation
import Testing

/// The environment a step's child starts with: the runner's, minus the runner's own settings and credentials, plus
/// the step's variables and the job's identity; `--clean-env` starts from PATH, HOME, LANG and TZ only.
@Suite("jobrunner run and exec: the child's environment")
struct ChildEnvironmentTests {
    /// A child that prints, as one JSON line, the names of its variables and the values of the non-secret ones
    /// the test asks about.
    static let inspectScript = """
        import json, os
        shown = ["JOBRUNNER_JOB_ID", "JOBRUNNER_JOB_NAME", "JOBRUNNER_STEP", "E2E_INHERITED", "MODE"]
        print(json.dumps({"names": sorted(os.environ), "values": {name: os.environ.get(name) for name in shown}}))
        print("mode=" + os.environ.get("MODE", ""))
        """

    @Test("no JOBRUNNER_* setting nor the store's key variable reaches the child; the job's identity does")
    func runnerSettingsAndStoreKeysAreNotInherited() throws {
        try SecretDirectoryGate.shared {
            let key = TestKey(name: "v1")
            let keyVariable = "E2E_STORE_KEY_\(randomHex(8).uppercased())"
            let sandbox = try Sandbox(config: EncryptionConfig(current: "v1", providers: [("v1", .fromEnvironment(keyVariable))]))
            sandbox.environment[keyVariable] = key.base64
            try sandbox.createSecret("token", value: "env-\(randomHex(24))")
            let literal = "literal-\(randomHex(16))"
            let script = try sandbox.file("inspect.py", Self.inspectScript)
            let spec = try sandbox.writeSpec(
                """
                name: env-check
                steps:
                  - name: inspect
                    run: \(yamlList(["python3", script]))
                    env:
                      TOKEN: { secret: token }
                      MODE: { value: \(yamlString(literal)) }
                """)
            let runnerVariables = [
                "JOBRUNNER_SERVICE_TOKEN_FILE": sandbox.path("no-token"),
                "JOBRUNNER_DATA_DIR": sandbox.dataDirectory.path,
                "JOBRUNNER_OWNER": "alice",
                "E2E_INHERITED": "inherited-value",
            ]

            let result = try sandbox.run(["run", spec], environment: runnerVariables)
            #expect(result.exitCode == 0, "\(result)")
            let report = try #require(result.output.split(separator: "\n").first.map { Data($0.utf8) })
            let parsed = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any], "\(result)")
            let names = try #require(parsed["names"] as? [String])
            let values = try #require(parsed["values"] as? [String: Any])

            let runnerNames = names.filter { $0.hasPrefix("JOBRUNNER_") }
            #expect(Set(runnerNames) == ["JOBRUNNER_JOB_ID", "JOBRUNNER_JOB_NAME", "JOBRUNNER_STEP"], "\(names)")
            #expect(!names.contains(keyVariable), "the store's key variable reached the child")
            #expect(names.contains("TOKEN") && names.contains("E2E_INHERITED"), "\(names)")
            #expect(values["JOBRUNNER_JOB_ID"] as? String == (try sandbox.latestJobID()))
            #expect(values["JOBRUNNER_JOB_NAME"] as? String == "env-check")
            #expect(values["JOBRUNNER_STEP"] as? String == "inspect")
            #expect(values["E2E_INHERITED"] as? String == "inherited-value")
            // A literal is not a secret: it passes through and prints unmasked.
            #expect(values["MODE"] as? String == literal)
            #expect(result.output.contains("mode=\(literal)\n"), "\(result)")
        }
    }

    @Test("exec reads NEMO_JOB_SECRETS in embedded mode, and the child does not see the variable itself")
    func execReadsNemoJobSecrets() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let token = "nemo-\(randomHex(24))"
            let other = "nemo-other-\(randomHex(24))"
            try sandbox.createSecret("token", value: token)
            try sandbox.createSecret("other", value: other)
            let result = try sandbox.run(
                [
                    "exec", "--", "sh", "-c",
                    #"printf '%s' "$NEMO_TOKEN" | sha256sum; printf '%s' "$NEMO_OTHER" | sha256sum; echo "nemo=${NEMO_JOB_SECRETS-unset}""#,
                ],
                environment: ["NEMO_JOB_SECRETS": "NEMO_TOKEN=default/token, NEMO_OTHER=other"])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.output == "\(sha256Hex(token))  -\n\(sha256Hex(other))  -\nnemo=unset\n", "\(result)")
        }
    }

    @Test("--clean-env leaves only PATH, HOME, LANG, TZ, the step's variables and the runner's job variables")
    func cleanEnvironmentKeepsOnlyTheBasics() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("token", value: "clean-\(randomHex(24))")
            let spec = try sandbox.writeSpec(
                """
                name: clean
                steps:
                  - name: list
                    run: ["env", "-0"]
                    env:
                      TOKEN: { secret: token }
                      MODE: { value: sft }
                    files:
                      key: { secret: token, env: KEY_FILE }
                """)
            let result = try sandbox.run(
                ["run", "--clean-env", spec], environment: ["LANG": "C.UTF-8", "E2E_DROPPED": "dropped", "JOBRUNNER_OWNER": "x"])
            #expect(result.exitCode == 0, "\(result)")
            let variables = result.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            let names = Set(variables.map { String($0.prefix { $0 != "=" }) })
            #expect(
                names == [
                    "PATH", "HOME", "LANG", "TZ", "TOKEN", "MODE", "KEY_FILE", "JOBRUNNER_JOB_ID", "JOBRUNNER_JOB_NAME",
                    "JOBRUNNER_STEP", "JOBRUNNER_SECRETS_DIR",
                ], "\(result)")
            #expect(variables.contains("HOME=\(sandbox.home.path)") && variables.contains("LANG=C.UTF-8"), "\(variables)")
            #expect(variables.contains("TOKEN=****"), "\(variables)")
        }
    }

    @Test("multi-line values arrive intact in variables and files, and print masked")
    func multiLineValuesWorkInEnvironmentAndFiles() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let lines = (0..<3).map { _ in randomHex(32) }
            let value = "-----BEGIN TEST KEY-----\n\(lines.joined(separator: "\n"))\n-----END TEST KEY-----"
            try sandbox.createSecret("pem", value: value)
            let script = try sandbox.file(
                "multiline.py",
                """
                import hashlib, os
                env_value = os.environ["PEM"]
                file_value = open(os.environ["PEM_FILE"]).read()
                print("env", hashlib.sha256(env_value.encode()).hexdigest())
                print("file", hashlib.sha256(file_value.encode()).hexdigest())
                print(env_value)
                print(file_value)
                """)
            let result = try sandbox.run(
                [
                    "exec", "--env", "PEM=pem", "--file", "pem=pem", "--", "sh", "-c", #"PEM_FILE="$JOBRUNNER_SECRETS_DIR/pem" exec python3 "$0""#,
                    script,
                ])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.output.hasPrefix("env \(sha256Hex(value))\nfile \(sha256Hex(value))\n"), "\(result)")
            #expect(result.output.contains("****"), "\(result)")
            for line in lines {
                #expect(!result.output.contains(line), "a line of the value was printed unmasked: \(result)")
            }
        }
    }
}
