import Foundation
import Testing

@testable import WandBIntegration

/// The pusher against the real W&B protocol test server (`Tests/WandBTests/wandb_server.py`).
@Suite(.serialized) struct TelemetryPusherTests {
    static let config: [String: TelemetryValue] = [
        "job_id": "job-7f3a", "job_name": "finetune", "workspace": "default", "learning_rate": 0.0003, "epochs": 3,
        "lora": .object(["rank": 16]),
    ]

    @Test("a normal run is stored as the reference reporter stores it") func normalRun() async throws {
        let harness = try PushHarness()
        defer { harness.close() }
        let outbox = try harness.openOutbox()
        try await outbox.register(harness.facts("job-7f3a", config: Self.config))

        // The trainer writes its rows to $JOBRUNNER_METRICS while the runner follows the file.
        let metrics = harness.directory.file("train-metrics.jsonl")
        let following = Task { try await MetricsFileIngestion(outbox: outbox, jobID: "job-7f3a", path: metrics, stream: "train").follow() }
        let trainerRows = TrainingRows.make(25)
        let trainer = try PythonChild.run(
            PythonChild.trainer, arguments: [TrainingRows.canonical(trainerRows)], environment: ["JOBRUNNER_METRICS": metrics])
        #expect(trainer.status == 0, "\(trainer.output)")
        following.cancel()
        #expect(try await following.value.rowsIngested == 25)
        let runnerRow: [String: TelemetryValue] = ["runner/step": "train", "runner/step_duration_s": 12.5, "runner/step_exit_code": 0]
        try await outbox.appendRows([runnerRow], jobID: "job-7f3a")
        try await outbox.finish(jobID: "job-7f3a", exitCode: 0)

        let results = await harness.pusher(outbox).flush(timeout: .seconds(60))
        #expect(results == [TelemetryFlushResult(jobID: "job-7f3a", outcome: .complete, rowsSent: 26, rowsPending: 0)])

        let allRows = trainerRows + [["runner/step": "train", "runner/step_duration_s": 12.5, "runner/step_exit_code": 0]]
        let ours = try await harness.expectStoredOnce("job-7f3a", rows: allRows)

        // The same run sent by reference_reporter.py, for comparison.
        let configJSON = TrainingRows.canonical(
            [
                "job_id": "job-7f3a", "job_name": "finetune", "workspace": "default",
                "learning_rate": 0.0003, "epochs": 3, "lora": ["rank": 16],
            ] as [String: Any])
        let reference = try PythonChild.run(
            """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            from reference_reporter import report_run
            rows = json.loads(sys.argv[4])
            summary = {}
            for row in rows:
                summary.update(row)
            report_run(sys.argv[2], sys.argv[3], "nvidia-nemo-customizer", "ref-run", rows, config=json.loads(sys.argv[5]),
                       summary=summary, exit_code=0, display_name="job job-7f3a")
            """,
            arguments: [
                WandBTestServer.referenceReporterDirectory, harness.server.baseURL, WandBTestServer.key,
                TrainingRows.canonical(allRows), configJSON,
            ])
        #expect(reference.status == 0, "\(reference.output)")
        let expected = try #require(try await harness.server.run("ref-run"))

        #expect(ours["project"] as? String == expected["project"] as? String)
        #expect(ours["entity"] as? String == WandBTestServer.entity)
        #expect(ours["name"] as? String == "job-7f3a")
        #expect(ours["display_name"] as? String == expected["display_name"] as? String)
        #expect(TrainingRows.canonical(ours["config"]!) == TrainingRows.canonical(expected["config"]!))
        #expect(TrainingRows.userHistory(ours) == TrainingRows.userHistory(expected))
        #expect(TrainingRows.steps(ours) == TrainingRows.steps(expected))
        #expect(TrainingRows.canonical(TrainingRows.userKeys(ours["summary"])) == TrainingRows.canonical(TrainingRows.userKeys(expected["summary"])))
        #expect((ours["exitcode"] as? NSNumber) == (expected["exitcode"] as? NSNumber))
        for row in ours["history"] as? [[String: Any]] ?? [] {
            #expect(row["_runtime"] is NSNumber && row["_timestamp"] is NSNumber)
        }
        let summary = try #require(ours["summary"] as? [String: Any])
        #expect((summary["_step"] as? NSNumber)?.intValue == 25)
        #expect(ours["history_replaced"] as? Int == 0, "nothing resent in a clean run")

        let upserts = try #require(ours["upserts"] as? [[String: Any]])
        #expect(upserts.first?["entity"] is NSNull, "the first UpsertBucket lets W&B pick the entity")
        let status = try #require(try await outbox.status(jobID: "job-7f3a").first)
        #expect(status.state == .complete && status.rowsSent == 26 && status.rowsPending == 0 && status.lastFailure == nil)
        #expect(status.entity == WandBTestServer.entity)
    }

    @Test("W&B down for the first half of a job, then up: every row once") func serverDownThenUp() async throws {
        let harness = try PushHarness()
        defer { harness.close() }
        let outbox = try harness.openOutbox()
        try await outbox.register(harness.facts("job-down"))
        let pusher = harness.pusher(outbox)
        let background = Task { await pusher.run() }
        defer { background.cancel() }

        harness.server.kill()  // connection refused from now on
        let rows = TrainingRows.make(40)
        try await harness.storeRows(Array(rows[..<20]), jobID: "job-down", outbox: outbox)
        try await harness.waitUntil {
            if case .unreachable = try await outbox.status(jobID: "job-down").first?.lastFailure { return true }
            return false
        }
        #expect(try await outbox.status(jobID: "job-down").first?.rowsSent == 0)
        try harness.server.restart()  // same port, same stored state
        try await harness.storeRows(Array(rows[20...]), jobID: "job-down", outbox: outbox)
        try await outbox.finish(jobID: "job-down", exitCode: 0)
        try await harness.waitUntil { try await outbox.status(jobID: "job-down").first?.state == .complete }

        try await harness.expectStoredOnce("job-down", rows: rows)
        #expect(harness.problems.withLock { $0 }.count == 1, "the outage was reported once")
        #expect(try await outbox.status(jobID: "job-down").first?.lastFailure == nil)
    }

    @Test("a pusher cancelled mid-push, then a new one on the reopened outbox: every row once")
    func cancelledMidPush() async throws {
        // In-process: the pusher task is cancelled while W&B is applying its request, and a new pusher on a
        // reopened outbox (as after a runner restart) finishes. The test target cannot start a Swift helper
        // process, so this stands in for killing the runner process.
        let harness = try PushHarness()
        defer { harness.close() }
        let rows = TrainingRows.make(50)
        do {
            let outbox = try harness.openOutbox()
            try await outbox.register(harness.facts("job-kill"))
            try await harness.storeRows(rows, jobID: "job-kill", outbox: outbox)
            try await outbox.finish(jobID: "job-kill", exitCode: 0)
            try await harness.server.setFaults(["delay": 1.0, "paths": ["/files/"]])
            let pusher = harness.pusher(outbox)
            let flushing = Task { await pusher.flush(timeout: .seconds(60)) }
            try await harness.waitUntil { try await harness.server.run("job-kill") != nil }  // upserted; file_stream in flight
            try await Task.sleep(for: .milliseconds(300))
            flushing.cancel()
            _ = await flushing.value
            // The server applies the abandoned request after its delay: accepted by W&B, never recorded as sent.
            try await harness.waitUntil { (try await harness.server.run("job-kill")?["history_line_count"] as? Int ?? 0) > 0 }
            let sent = try #require(try await outbox.status(jobID: "job-kill").first).rowsSent
            let held = try #require(try await harness.server.run("job-kill")?["history_line_count"] as? Int)
            #expect(sent < held, "the outbox did not record what W&B accepted")
            try await harness.server.clearFaults()
        }

        let reopened = try harness.openOutbox()
        let results = await harness.pusher(reopened).flush(timeout: .seconds(60))
        #expect(results.map(\.outcome) == [.complete])
        let run = try await harness.expectStoredOnce("job-kill", rows: rows)
        #expect((run["history_replaced"] as? Int ?? 0) > 0, "the accepted batch was resent and replaced, not duplicated")
    }

    @Test("a 500 on every third request (after W&B stored it): every row once") func everyThirdRequestFails() async throws {
        let harness = try PushHarness()
        defer { harness.close() }
        let outbox = try harness.openOutbox()
        try await outbox.register(harness.facts("job-500"))
        let rows = TrainingRows.make(100)
        try await harness.storeRows(rows, jobID: "job-500", outbox: outbox)
        try await outbox.finish(jobID: "job-500", exitCode: 0)
        try await harness.server.setFaults(["fail_every": 3, "fail_after_apply": true])

        let results = await harness.pusher(outbox).flush(timeout: .seconds(120))
        #expect(results.map(\.outcome) == [.complete])
        let run = try await harness.expectStoredOnce("job-500", rows: rows)
        let faults = try await harness.server.requests().filter { ($0["fault"] as? Int) == 500 }
        #expect(faults.count >= 5)
        #expect((run["history_replaced"] as? Int ?? 0) > 0)
    }

    @Test("a refused key gives one clear failure, keeps the rows, stops; the right key then succeeds")
    func refusedKey() async throws {
        let harness = try PushHarness()
        defer { harness.close() }
        let outbox = try harness.openOutbox()
        try await outbox.register(harness.facts("job-401"))
        let rows = TrainingRows.make(30)
        try await harness.storeRows(rows, jobID: "job-401", outbox: outbox)
        try await outbox.finish(jobID: "job-401", exitCode: 0)
        let wrongKey = "local-wrong-0123456789abcdef0123456789abcdef0123"
        harness.currentKey.withLock { $0 = wrongKey }
        let pusher = harness.pusher(outbox)

        for _ in 0..<5 { await pusher.pushDueJobs() }  // five background rounds
        let refused = try await harness.server.requests().filter { ($0["status"] as? Int) == 401 }
        #expect(refused.count == 1, "a refused key is not retried")
        #expect(harness.problems.withLock { $0 } == [.keyRefused(status: 401)])
        let status = try #require(try await outbox.status(jobID: "job-401").first)
        #expect(status.lastFailure == .keyRefused(status: 401) && status.rowsPending == 30 && status.rowsSent == 0)
        #expect(!"\(status.lastFailure!)".contains(wrongKey))
        #expect(await pusher.flush(timeout: .seconds(10)).map(\.outcome) == [.failed(.keyRefused(status: 401))])

        harness.currentKey.withLock { $0 = WandBTestServer.key }  // the user fixed the secret
        await pusher.pushDueJobs()
        #expect(await pusher.flush(timeout: .seconds(60)).map(\.outcome) == [.complete])
        try await harness.expectStoredOnce("job-401", rows: rows)
        #expect(try await outbox.status(jobID: "job-401").first?.lastFailure == nil)
    }

    @Test("flush and status cover several jobs; a running job is reported up to date") func severalJobs() async throws {
        let harness = try PushHarness()
        defer { harness.close() }
        let outbox = try harness.openOutbox()
        for job in ["job-a", "job-b"] {
            try await outbox.register(harness.facts(job))
            try await harness.storeRows(TrainingRows.make(12), jobID: job, outbox: outbox)
        }
        try await outbox.finish(jobID: "job-a", exitCode: 2)
        let pusher = harness.pusher(outbox)
        #expect(await pusher.flush(jobID: "job-b", timeout: .seconds(60)).map(\.outcome) == [.upToDate])
        let results = await pusher.flush(timeout: .seconds(60))
        #expect(results.map(\.jobID) == ["job-a", "job-b"])
        #expect(results.map(\.outcome) == [.complete, .upToDate])
        try await harness.expectStoredOnce("job-a", rows: TrainingRows.make(12), exitCode: 2)
        let statuses = try await outbox.status()
        #expect(statuses.map(\.state) == [.complete, .running])
        #expect(statuses.map(\.rowsPending) == [0, 0])
        #expect(try await outbox.deleteSentRows() == 24)
        #expect(try await outbox.status() == statuses)
    }
}
