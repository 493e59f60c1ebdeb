import Foundation
import Synchronization
import Testing

@testable import WandBIntegration

/// A test server, an outbox file and a pusher with fast retries, as one job's telemetry sees them.
final class PushHarness: Sendable {
    let directory: TemporaryDirectory
    let server: WandBTestServer
    let outboxPath: String
    let currentKey = Mutex<String>(WandBTestServer.key)
    let problems = Mutex<[TelemetryPushFailure]>([])

    static let fastSettings = TelemetryPusherSettings(
        batchRows: 10, requestTimeout: .seconds(10), pollInterval: .milliseconds(20),
        backoff: RetryBackoff(initial: .milliseconds(10), maximum: .milliseconds(200)))

    init() throws {
        directory = try TemporaryDirectory()
        server = try WandBTestServer(statePath: directory.file("wandb-state.jsonl"))
        outboxPath = directory.file("telemetry.sqlite")
    }

    deinit { close() }

    /// Stops the server and removes the files; call it in a `defer` so the harness lives to the test's end.
    func close() {
        server.stop()
        directory.remove()
    }

    func openOutbox() throws -> TelemetryOutbox { try TelemetryOutbox(path: outboxPath) }

    func facts(_ jobID: String, config: [String: TelemetryValue] = [:]) -> WandBRunFacts {
        WandBRunFacts(jobID: jobID, baseURL: server.baseURL, displayName: "job \(jobID)", config: config)
    }

    func pusher(_ outbox: TelemetryOutbox, settings: TelemetryPusherSettings = PushHarness.fastSettings) -> TelemetryPusher {
        TelemetryPusher(
            outbox: outbox, settings: settings, keyProvider: { [self] _ in WandBAPIKey(self.currentKey.withLock { $0 }) },
            onProblem: { [self] _, failure in self.problems.withLock { $0.append(failure) } })
    }

    /// Registers `jobID` and stores `rows` as if its trainer had written them to its metrics file.
    func storeRows(_ rows: [[String: Any]], jobID: String, outbox: TelemetryOutbox, stream: String = "train") async throws {
        let metrics = directory.file("\(jobID)-\(stream).jsonl")
        let handle: FileHandle
        if !FileManager.default.fileExists(atPath: metrics) { FileManager.default.createFile(atPath: metrics, contents: nil) }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: metrics))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(TrainingRows.jsonLines(rows).utf8))
        try handle.close()
        _ = try await MetricsFileIngestion(outbox: outbox, jobID: jobID, path: metrics, stream: stream).drain()
    }

    /// Waits (up to 30 s, polling) until `condition` holds; the tests wait for events, never assert on time.
    func waitUntil(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<1500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within 30 s")
    }

    /// Checks the server holds exactly `rows`, once each and in order, the run complete with `exitCode`.
    @discardableResult
    func expectStoredOnce(_ jobID: String, rows: [[String: Any]], exitCode: Int = 0) async throws -> [String: Any] {
        let run = try #require(try await server.run(jobID))
        #expect(TrainingRows.userHistory(run) == rows.map(TrainingRows.canonical))
        #expect(TrainingRows.steps(run) == Array(0..<rows.count))
        #expect((run["history_gaps"] as? [Any])?.isEmpty == true)
        #expect((run["history_changed"] as? Int) == 0)
        #expect(run["complete"] as? Bool == true)
        #expect((run["exitcode"] as? NSNumber)?.intValue == exitCode)
        return run
    }
}
