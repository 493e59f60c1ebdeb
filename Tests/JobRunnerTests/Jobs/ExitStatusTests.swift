import Foundation
import Testing

/// The runner exits with its child's status (128+N when a signal ended it) or with its own statuses for commands
/// that cannot run, and a failing step stops the job: later steps are skipped.
@Suite("jobrunner run and exec: exit statuses")
struct ExitStatusTests {
    /// How a command ends, and the status the runner must exit with.
    struct Case: Sendable, CustomTestStringConvertible {
        /// What the case shows, as the test report names it.
        let label: String
        /// The command to run, made in the test's sandbox when it needs a file.
        let command: @Sendable (Sandbox) throws -> [String]
        /// The status the runner must exit with.
        let status: Int32
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "exit 0", command: { _ in ["sh", "-c", "exit 0"] }, status: 0),
        Case(label: "the child's own exit 3", command: { _ in ["sh", "-c", "exit 3"] }, status: 3),
        Case(label: "child SIGKILLs itself: 137", command: { _ in ["sh", "-c", "kill -KILL $$"] }, status: 137),
        Case(
            label: "not executable: 126",
            command: { sandbox in [try sandbox.file("not-executable.sh", "#!/bin/sh\necho never\n")] }, status: 126),
        Case(label: "not found: 127", command: { _ in ["no-such-command-\(randomHex(8))"] }, status: 127),
    ]

    @Test("exec exits with the child's status, 126 when it cannot execute, 127 when it does not exist", arguments: cases)
    func execPassesOnTheStatus(_ example: Case) throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("token", value: "status-\(randomHex(24))")
            let result = try sandbox.run(["exec", "--env", "TOKEN=token", "--"] + example.command(sandbox))
            #expect(result.exitCode == example.status, "\(result)")
            #expect(!result.wasSignalled, "the runner itself must not die of the child's signal: \(result)")
            if example.status >= 126 && example.status <= 127 {
                #expect(!result.errorOutput.isEmpty, "the runner should say why the command did not run")
            }
            let job = try sandbox.jobRecord(try sandbox.latestJobID())
            #expect(job["exit_status"] as? Int == Int(example.status), "\(job)")
            #expect(job["status"] as? String == (example.status == 0 ? "succeeded" : "failed"), "\(job)")
        }
    }

    @Test("a failing first step ends the job with its status and the second step is skipped")
    func failingStepSkipsTheRest() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let marker = sandbox.path("second-step-ran")
            let spec = try sandbox.writeSpec(
                """
                name: stops-early
                steps:
                  - name: fails
                    run: ["sh", "-c", "echo failing; exit 3"]
                  - name: never
                    run: \(yamlList(["touch", marker]))
                """)
            let result = try sandbox.run(["run", spec])
            #expect(result.exitCode == 3, "\(result)")
            #expect(result.output == "failing\n", "\(result)")
            #expect(!FileManager.default.fileExists(atPath: marker), "the second step ran")
            let job = try sandbox.latestJobID()
            #expect(try sandbox.stepStatuses(job) == ["failed", "skipped"])
            let record = try sandbox.jobRecord(job)
            #expect(record["status"] as? String == "failed" && record["exit_status"] as? Int == 3, "\(record)")
            let table = try sandbox.succeed(["jobs", "show", job]).output
            #expect(table.contains("skipped"), "\(table)")
        }
    }
}
