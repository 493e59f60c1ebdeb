import Foundation
import GRDB
import Testing

@testable import WandBIntegration

@Suite struct MetricsFileIngestionTests {
    @Test("100,000 rows appended by a trainer over ~10 s all reach the outbox, in order, once")
    func hundredThousandRows() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("telemetry.sqlite")
        let metrics = directory.file("metrics.jsonl")
        let outbox = try TelemetryOutbox(path: path)
        try await outbox.register(WandBRunFacts(jobID: "job-big"))
        let ingestion = MetricsFileIngestion(outbox: outbox, jobID: "job-big", path: metrics, stream: "train")
        let following = Task { try await ingestion.follow() }

        let trainer = try PythonChild.run(
            PythonChild.pacedTrainer, arguments: ["100000", "100", "10"], environment: ["JOBRUNNER_METRICS": metrics])
        #expect(trainer.status == 0, "\(trainer.output)")
        following.cancel()  // the step's process exited: take what it wrote and stop
        let progress = try await following.value

        #expect(progress.rowsIngested == 100_000)
        #expect(progress.malformedLines == 0)
        let status = try #require(try await outbox.status(jobID: "job-big").first)
        #expect(status.rowsStored == 100_000)
        let misplaced = try await DatabaseQueue(path: path).read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM telemetry_row WHERE job_id = 'job-big' AND json_extract(payload, '$.step') != line")
        }
        #expect(misplaced == 0)
        print("trainer: \(trainer.output.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    @Test("a follow stopped mid-file and restarted later continues where it stopped") func resume() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let metrics = directory.file("metrics.jsonl")
        let outbox = try TelemetryOutbox(path: directory.file("telemetry.sqlite"))
        try await outbox.register(WandBRunFacts(jobID: "job-1"))
        try TrainingRows.jsonLines(TrainingRows.make(50)).write(toFile: metrics, atomically: false, encoding: .utf8)
        let ingestion = MetricsFileIngestion(outbox: outbox, jobID: "job-1", path: metrics)
        #expect(try await ingestion.drain().rowsIngested == 50)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: metrics))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(TrainingRows.jsonLines(TrainingRows.make(25, from: 50)).utf8))
        try handle.close()
        #expect(try await ingestion.drain().rowsIngested == 25)
        #expect(try await outbox.status().first?.rowsStored == 75)
    }
}
