import Foundation
import Testing

@testable import WandBIntegration

/// Throughput figures for `bench/telemetry/run`; skipped unless `TELEMETRY_BENCH_ROWS` is set. Prints one
/// `BENCH {json}` line per figure and asserts nothing about speed.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TELEMETRY_BENCH_ROWS"] != nil))
struct TelemetryBenchmarkTests {
    static var rows: Int { Int(ProcessInfo.processInfo.environment["TELEMETRY_BENCH_ROWS"] ?? "") ?? 100_000 }

    @Test("child → outbox rows/s, and the child's write time with and without the runner tailing")
    func childToOutbox() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rows = Self.rows
        let outbox = try TelemetryOutbox(path: directory.file("telemetry.sqlite"))
        try await outbox.register(WandBRunFacts(jobID: "bench"))
        let metrics = directory.file("metrics.jsonl")

        // Baseline: the same child writing to /dev/null, nothing tailing.
        let baseline = try PythonChild.run(
            PythonChild.pacedTrainer, arguments: [String(rows), "1", "0"], environment: ["JOBRUNNER_METRICS": "/dev/null"])
        // Real: the child writing to its metrics file while the runner follows it into the outbox.
        let clock = ContinuousClock()
        let start = clock.now
        let following = Task { try await MetricsFileIngestion(outbox: outbox, jobID: "bench", path: metrics).follow() }
        let child = try PythonChild.run(PythonChild.pacedTrainer, arguments: [String(rows), "1", "0"], environment: ["JOBRUNNER_METRICS": metrics])
        following.cancel()
        let progress = try await following.value
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(progress.rowsIngested == rows)
        let baseWrite = Self.writeSeconds(baseline.output)
        let fileWrite = Self.writeSeconds(child.output)
        print(
            "BENCH "
                + TrainingRows.canonical(
                    [
                        "figure": "child_to_outbox", "rows": rows, "seconds": seconds, "rows_per_second": Double(rows) / seconds,
                        "child_write_seconds_devnull": baseWrite, "child_write_seconds_metrics_file": fileWrite,
                        "child_slowdown_ratio": baseWrite > 0 ? fileWrite / baseWrite : 0,
                    ] as [String: Any]))
    }

    @Test("outbox → local W&B test server rows/s") func outboxToServer() async throws {
        let harness = try PushHarness()
        defer { harness.close() }
        let rows = Self.rows
        let outbox = try harness.openOutbox()
        try await outbox.register(harness.facts("bench-push"))
        let metrics = harness.directory.file("metrics.jsonl")
        _ = try PythonChild.run(PythonChild.pacedTrainer, arguments: [String(rows), "1", "0"], environment: ["JOBRUNNER_METRICS": metrics])
        _ = try await MetricsFileIngestion(outbox: outbox, jobID: "bench-push", path: metrics).drain()
        try await outbox.finish(jobID: "bench-push", exitCode: 0)
        let pusher = TelemetryPusher(outbox: outbox, keyProvider: { _ in WandBAPIKey(WandBTestServer.key) })
        let clock = ContinuousClock()
        let start = clock.now
        let results = await pusher.flush(timeout: .seconds(600))
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(results.map(\.outcome) == [.complete])
        let run = try #require(try await harness.server.run("bench-push"))
        #expect(run["history_line_count"] as? Int == rows)
        print(
            "BENCH "
                + TrainingRows.canonical(
                    [
                        "figure": "outbox_to_server", "rows": rows, "seconds": seconds, "rows_per_second": Double(rows) / seconds,
                        "batch_rows": TelemetryPusherSettings().batchRows,
                    ] as [String: Any]))
    }

    private static func writeSeconds(_ output: String) -> Double {
        let line = output.split(separator: "\n").last.map(String.init) ?? "{}"
        let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        return (object?["write_seconds"] as? NSNumber)?.doubleValue ?? 0
    }
}
