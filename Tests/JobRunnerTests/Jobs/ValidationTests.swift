import Foundation
import Testing

/// Mistakes are caught before anything runs: an invalid spec or command line exits 2 listing every problem with
/// its place, and a step whose references do not all resolve exits 125 listing every failure, without starting.
@Suite("jobrunner run and exec: validation and failed resolution")
struct ValidationTests {
    @Test("an invalid spec exits 2, lists every problem as file:line: key path, and runs nothing")
    func invalidSpecListsEveryProblemAndRunsNothing() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let marker = sandbox.path("step-ran")
            // Line numbers below are those of this text.
            let spec = try sandbox.writeSpec(
                """
                name: invalid
                workspace: default
                steps:
                  - name: first
                    run: \(yamlList(["touch", marker]))
                    env:
                      1BAD: { value: x }
                      TOKEN: { secret: "no such/ref" }
                      PLAIN: just-a-string
                      SHARED: { value: a }
                    files:
                      "../escape": { secret: token }
                      "": { secret: token }
                      key: { secret: token, env: SHARED }
                      key: { secret: other }
                    bogus: 1
                  - name: first
                    run: []
                  - run: ["true"]
                    timeout_seconds: -5
                  - name: no-command
                colour: blue
                """)

            let result = try sandbox.run(["run", spec])
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            let expected: [(line: Int, keyPath: String, says: String)] = [
                (7, "steps[0].env.1BAD", "invalid environment variable name"),
                (8, "steps[0].env.TOKEN.secret", "invalid secret reference"),
                (9, "steps[0].env.PLAIN", "bare value"),
                (12, #"steps[0].files["../escape"]"#, "unsafe file name"),
                (13, #"steps[0].files[""]"#, "unsafe file name"),
                (14, "steps[0].files.key.env", "SHARED"),
                (15, "steps[0].files.key", "duplicate key"),
                (16, "steps[0].bogus", "unknown key"),
                (17, "steps[1].name", "duplicate step name"),
                (18, "steps[1].run", "empty"),
                (19, "steps[2]", "missing required key 'name'"),
                (20, "steps[2].timeout_seconds", "positive"),
                (21, "steps[3]", "missing required key 'run'"),
                (22, "colour", "unknown key"),
            ]
            let problemLines = result.errorLines.filter { $0.hasPrefix("  ") }
            for problem in expected {
                let prefix = "  \(spec):\(problem.line): \(problem.keyPath): "
                let line = problemLines.first { $0.hasPrefix(prefix) }
                #expect(line?.contains(problem.says) == true, "no '\(prefix)… \(problem.says)' in: \(result.errorOutput)")
            }
            #expect(problemLines.count == expected.count, "\(result)")
            #expect(result.errorOutput.contains("\(expected.count) problems"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: marker), "a step ran although the spec is invalid")
            #expect(try sandbox.jobList().isEmpty, "an invalid spec was recorded as a job")
        }
    }

    @Test("a NeMo spec with a container executor is refused as not supported here")
    func containerExecutorIsRefused() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let spec = try sandbox.writeSpec(
                #"{"name": "nemo", "steps": [{"name": "train", "executor": {"provider": "docker", "image": "nvcr.io/x"}}]}"#,
                named: "nemo.json")
            let result = try sandbox.run(["run", spec])
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.errorOutput.contains("\(spec):1: steps[0].executor.provider"), "\(result)")
            #expect(result.errorOutput.contains("not supported here"), "\(result)")
            #expect(try sandbox.jobList().isEmpty)
        }
    }

    @Test("invalid exec arguments exit 2 with every problem, and run nothing")
    func invalidExecArgumentsRunNothing() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let marker = sandbox.path("exec-ran")
            let result = try sandbox.run(
                ["exec", "--env", "1BAD=x", "--env", "NOREF", "--file", "../x=token", "--", "touch", marker])
            #expect(result.exitCode == 2, "\(result)")
            for fragment in ["invalid environment variable name '1BAD'", "'NOREF' is not NAME=REF", "unsafe file name '../x'"] {
                #expect(result.errorOutput.contains(fragment), "\(result)")
            }
            #expect(result.errorOutput.contains("3 problems"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: marker))
            let noCommand = try sandbox.run(["exec", "--env", "A=token"])
            #expect(noCommand.exitCode == 2, "\(noCommand)")
            #expect(try sandbox.jobList().isEmpty)
        }
    }

    @Test("one step with five references, three failing: exit 125, all three listed, the step never starts")
    func failingReferencesAreAllListedAndNothingStarts() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createWorkspace("team")
            try sandbox.createSecret("present-a", value: "present-a-\(randomHex(20))")
            try sandbox.createSecret("present-b", value: "present-b-\(randomHex(20))")
            try sandbox.createSecret("team/theirs", value: "theirs-\(randomHex(20))")
            let marker = sandbox.path("step-ran")
            let spec = try sandbox.writeSpec(
                """
                name: five-refs
                workspace: default
                steps:
                  - name: needs-five
                    run: \(yamlList(["touch", marker]))
                    env:
                      A: { secret: present-a }
                      MISSING_ONE: { secret: missing-one }
                      OTHER: { secret: team/theirs }
                      MISSING_TWO: { secret: default/missing-two }
                    files:
                      b: { secret: present-b }
                """)

            let result = try sandbox.run(["run", spec])
            #expect(result.exitCode == 125, "\(result)")
            #expect(!FileManager.default.fileExists(atPath: marker), "the step started although references failed")
            let listed = result.errorLines.filter { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(listed.contains { $0.hasPrefix("default/missing-one: not found") }, "\(result)")
            #expect(listed.contains { $0.hasPrefix("default/missing-two: not found") }, "\(result)")
            #expect(listed.contains { $0.hasPrefix("team/theirs: forbidden") && $0.contains("--allow-cross-workspace") }, "\(result)")
            #expect(listed.count == 3, "only the failing references should be listed: \(result)")
            #expect(result.errorOutput.contains("3 secret references could not be resolved"), "\(result)")

            let job = try sandbox.latestJobID()
            #expect(try sandbox.stepStatuses(job) == ["failed"])
            let audit = try sandbox.auditRecords(job: job)
            let outcomes = Dictionary(audit.map { ($0["reference"] as? String ?? "?", $0["outcome"] as? String ?? "?") }) { $1 }
            #expect(
                outcomes == [
                    "default/present-a": "granted", "default/missing-one": "not-found", "team/theirs": "forbidden",
                    "default/missing-two": "not-found", "default/present-b": "granted",
                ], "\(audit)")
            #expect(audit.count == 5, "\(audit)")
            #expect(audit.allSatisfy { $0["principal"] as? String == "embedded-store" && $0["step"] as? String == "needs-five" })

            // With --allow-cross-workspace the other workspace resolves; the missing ones still stop the step.
            let allowed = try sandbox.run(["run", "--allow-cross-workspace", spec])
            #expect(allowed.exitCode == 125, "\(allowed)")
            #expect(allowed.errorOutput.contains("2 secret references could not be resolved"), "\(allowed)")
            #expect(!allowed.errorOutput.contains("team/theirs"), "\(allowed)")
            #expect(!FileManager.default.fileExists(atPath: marker))
        }
    }
}
