import Foundation
import GRDB
import Testing

@testable import WandBIntegration

@Suite struct TelemetryOutboxTests {
    @Test("the outbox file and its WAL are private to the runner (0600)") func fileMode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("telemetry.sqlite")
        let outbox = try TelemetryOutbox(path: path)
        try await outbox.register(WandBRunFacts(jobID: "job-1"))
        for file in [path, path + "-wal"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file)")
        }
        let journal = try String(contentsOfFile: path, encoding: .isoLatin1)
        #expect(journal.contains("SQLite format 3"))
    }

    @Test("ingest is exactly-once across a runner restart at any point") func exactlyOnceAcrossRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("telemetry.sqlite")
        let metrics = directory.file("metrics.jsonl")
        try TrainingRows.jsonLines(TrainingRows.make(300)).write(toFile: metrics, atomically: false, encoding: .utf8)

        do {
            let outbox = try TelemetryOutbox(path: path)
            try await outbox.register(WandBRunFacts(jobID: "job-1"))
            let tail = MetricsFileTail(path: metrics, maximumBatchBytes: 1024)
            let first = try tail.read(from: 0)
            try await outbox.ingest(first, jobID: "job-1", stream: "train")
            // Read but never committed: the runner "dies" between reading and storing this batch.
            _ = try tail.read(from: first.endOffset)
            // A stale batch offered again is refused, never stored twice.
            await #expect(throws: TelemetryOutboxError.self) { try await outbox.ingest(first, jobID: "job-1", stream: "train") }
        }

        let reopened = try TelemetryOutbox(path: path)
        let progress = try await MetricsFileIngestion(
            outbox: reopened, jobID: "job-1", path: metrics, stream: "train", maximumBatchBytes: 1024
        ).drain()
        #expect(progress.offset == UInt64(try Data(contentsOf: URL(fileURLWithPath: metrics)).count))
        let status = try #require(try await reopened.status(jobID: "job-1").first)
        #expect(status.rowsStored == 300)
        #expect(try stepsInOrder(path: path, jobID: "job-1") == Array(0..<300))
    }

    @Test("runner rows join the history; a finished job takes no more rows") func runnerRowsAndFinish() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outbox = try TelemetryOutbox(path: directory.file("telemetry.sqlite"))
        try await outbox.register(WandBRunFacts(jobID: "job-1", config: ["job_id": "job-1"]))
        try await outbox.appendRows([["runner/step": "train", "runner/step_duration_s": 1.5, "runner/step_exit_code": 0]], jobID: "job-1")
        try await outbox.finish(jobID: "job-1", exitCode: 3)
        await #expect(throws: TelemetryOutboxError.jobAlreadyFinished("job-1")) {
            try await outbox.appendRows([["late": 1]], jobID: "job-1")
        }
        await #expect(throws: TelemetryOutboxError.unknownJob("nope")) { try await outbox.finish(jobID: "nope", exitCode: 0) }
        let status = try #require(try await outbox.status().first)
        #expect(status.rowsStored == 1 && status.rowsPending == 1 && status.exitCode == 3 && status.state == .finishing)
        #expect(status.runID == "job-1" && status.project == WandBDefaults.project && status.entity == nil)
    }

    /// The `step` of every stored row of `jobID`, in history-line order.
    private func stepsInOrder(path: String, jobID: String) throws -> [Int] {
        let queue = try DatabaseQueue(path: path)
        let payloads = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM telemetry_row WHERE job_id = ? ORDER BY line", arguments: [jobID])
        }
        return payloads.map { payload in
            let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
            return (object?["step"] as? NSNumber)?.intValue ?? -1
        }
    }
}
