import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the runner records, read back through `jobs list|show`, `logs` and `audit` as a user does.
@Suite("jobs, logs and audit commands")
struct JobRecordCommandTests {
    @Test("jobs list and show, logs --step, logs --output json fields, audit --job")
    func recordsOfARunAreShown() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("token", value: "records-\(randomHex(24))")
            let spec = try sandbox.writeSpec(
                """
                name: two-steps
                steps:
                  - name: prepare
                    run: ["sh", "-c", "echo preparing; echo 'prepare warning' >&2"]
                    env:
                      TOKEN: { secret: token }
                  - name: train
                    run: ["sh", "-c", "echo 'epoch 1'; echo 'epoch 2'"]
                """)
            let first = try sandbox.run(["run", spec])
            #expect(first.exitCode == 0, "\(first)")
            let firstJob = try sandbox.latestJobID()
            // A second run of another job, so the filters have something to filter out.
            try sandbox.succeed(["exec", "--env", "T=token", "--", "true"])
            let secondJob = try sandbox.latestJobID()
            #expect(firstJob != secondJob)

            let jobs = try sandbox.jobList()
            #expect(jobs.map { $0["id"] as? String } == [secondJob, firstJob], "newest first: \(jobs)")
            #expect(jobs.map { $0["name"] as? String } == ["exec", "two-steps"])
            #expect(jobs.allSatisfy { $0["status"] as? String == "succeeded" && $0["exit_status"] as? Int == 0 })
            let listTable = try sandbox.succeed(["jobs", "list"]).output
            #expect(listTable.contains(firstJob) && listTable.contains("two-steps"), "\(listTable)")

            let record = try sandbox.jobRecord(firstJob)
            let steps = try #require(record["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == ["prepare", "train"])
            #expect(steps.allSatisfy { $0["status"] as? String == "succeeded" && $0["exit_status"] as? Int == 0 })
            #expect(steps.allSatisfy { JSONShapes.date($0["started_at"]) != nil && JSONShapes.date($0["finished_at"]) != nil })
            #expect((record["spec_path"] as? String)?.hasSuffix("job.yaml") == true, "\(record)")
            let showTable = try sandbox.succeed(["jobs", "show", firstJob]).output
            #expect(showTable.contains("prepare") && showTable.contains("train") && showTable.contains("succeeded"), "\(showTable)")

            let trainLines = try sandbox.succeed(["logs", firstJob, "--step", "train"]).output
            #expect(trainLines.contains("[train] epoch 1\n[train] epoch 2\n"), "\(trainLines)")
            #expect(!trainLines.contains("preparing"), "\(trainLines)")
            let prepareText = try sandbox.succeed(["logs", firstJob, "--step", "prepare"]).output
            #expect(prepareText.contains("[prepare] preparing") && prepareText.contains("[prepare:stderr] prepare warning"), "\(prepareText)")

            let entries = try sandbox.logEntries(firstJob)
            #expect(entries.allSatisfy { Set($0.keys) == ["timestamp", "job", "step", "stream", "message"] }, "\(entries)")
            #expect(entries.allSatisfy { $0["job"] as? String == firstJob })
            #expect(entries.allSatisfy { ($0["timestamp"] as? String)?.hasSuffix("Z") == true && JSONShapes.date($0["timestamp"]) != nil })
            #expect(Set(entries.compactMap { $0["stream"] as? String }) == ["stdout", "stderr", "runner"], "\(entries)")
            let stdoutLines = entries.filter { $0["stream"] as? String == "stdout" }
            #expect(stdoutLines.map { $0["message"] as? String } == ["preparing", "epoch 1", "epoch 2"])
            #expect(stdoutLines.map { $0["step"] as? String } == ["prepare", "train", "train"])
            let trainEntries = try sandbox.logEntries(firstJob, step: "train")
            #expect(!trainEntries.isEmpty && trainEntries.allSatisfy { $0["step"] as? String == "train" })

            let audit = try sandbox.auditRecords(job: firstJob)
            #expect(audit.count == 1, "\(audit)")
            let auditKeys = Set(audit.first.map { Array($0.keys) } ?? [])
            #expect(auditKeys.isSuperset(of: ["time", "job", "step", "reference", "principal", "outcome"]), "\(audit)")
            #expect(audit.first?["job"] as? String == firstJob && audit.first?["step"] as? String == "prepare")
            #expect(audit.first?["reference"] as? String == "default/token" && audit.first?["outcome"] as? String == "granted")
            #expect(try sandbox.auditRecords().count == 2)
            #expect(try sandbox.run(["audit", "--job", "job-00000000-000000-000000"]).exitCode == 3)
            #expect(try sandbox.run(["logs", "job-00000000-000000-000000"]).exitCode == 3)
        }
    }

    @Test("logs --follow prints a running job's lines as they come and ends when the job ends")
    func followEndsWithTheJob() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let child = try ControlledChild(in: sandbox, prelude: #"print("first line", flush=True)"#)
            let spec = try sandbox.writeSpec(
                """
                name: followed
                steps:
                  - name: hold
                    run: \(yamlList(child.argv))
                """)
            let runner = try sandbox.start(["run", spec])
            #expect(child.waitUntilReady(unlessEnded: runner) != nil, "the step never started: \(runner.errorOutputSoFar)")
            let job = try sandbox.latestJobID()
            #expect(try sandbox.jobRecord(job)["status"] as? String == "running")

            // Its output goes to a file, so the test can watch it arrive while the command runs.
            let followed = sandbox.path("followed.txt")
            let follower = try ChildProcess(
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", #"exec "$0" "$@" > "$FOLLOWED""#, try JobRunnerExecutable.require().path]
                    + sandbox.globalOptions + ["logs", job, "--follow"],
                environment: sandbox.childEnvironment(["FOLLOWED": followed]), stdin: nil)
            func followedText() -> String { (try? String(contentsOfFile: followed, encoding: .utf8)) ?? "" }
            #expect(eventually { followedText().contains("[hold] first line") }, "\(followedText())")
            #expect(follower.isRunning, "logs --follow ended while the job still runs")
            child.release()
            #expect(runner.wait().exitCode == 0)
            let ended = eventually { !follower.isRunning }
            #expect(ended, "logs --follow did not end with the job")
            if !ended { follower.send(SIGKILL) }
            let result = follower.wait()
            #expect(result.exitCode == 0, "\(result)")
            #expect(followedText().contains("[hold] first line\n"), "\(followedText())")
            #expect(followedText().contains("[hold] released\n"), "lines after the follow began are missing: \(followedText())")
        }
    }

    @Test("a step's audit records are saved before the step starts: the step itself reads them")
    func auditIsSavedBeforeTheStepRuns() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("token", value: "audited-\(randomHex(24))")
            let binary = try JobRunnerExecutable.require().path
            let readOwnAudit = #""$0" --data-dir "$1" audit --job "$JOBRUNNER_JOB_ID" --output json"#
            let result = try sandbox.run(
                ["exec", "--env", "T=token", "--", "sh", "-c", readOwnAudit, binary, sandbox.dataDirectory.path])
            #expect(result.exitCode == 0, "\(result)")
            let seen = try #require(
                try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]], "\(result)")
            #expect(seen.map { $0["reference"] as? String } == ["default/token"], "\(seen)")
            #expect(seen.first?["outcome"] as? String == "granted")
        }
    }
}
