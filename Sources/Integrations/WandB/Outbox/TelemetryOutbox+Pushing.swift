import Foundation
import GRDB

/// What ``TelemetryPusher`` reads from and records in the outbox.
extension TelemetryOutbox {
    /// A stored history row waiting to be sent.
    struct PendingRow: Sendable {
        let line: Int64
        let json: String
        let timestamp: Double
    }

    /// The push state of `jobID`, or of every job when nil, oldest first.
    func pushStates(jobID: String? = nil) async throws -> [JobPushState] {
        try await database.read { db in
            let rows: [Row]
            if let jobID {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM telemetry_job WHERE job_id = ?", arguments: [jobID])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM telemetry_job ORDER BY started_at, job_id")
            }
            return rows.map(Self.pushState)
        }
    }

    /// Up to `limit` rows (and about `maximumBytes` of JSON) of `jobID` from history line `line` on, in order.
    func pendingRows(jobID: String, from line: Int64, limit: Int, maximumBytes: Int) async throws -> [PendingRow] {
        try await database.read { db in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT line, payload, recorded_at FROM telemetry_row WHERE job_id = ? AND line >= ? ORDER BY line LIMIT ?",
                arguments: [jobID, line, limit])
            var rows: [PendingRow] = []
            var bytes = 0
            while let row = try cursor.next() {
                let json: String = row["payload"]
                if !rows.isEmpty && bytes + json.utf8.count > maximumBytes { break }
                bytes += json.utf8.count
                rows.append(PendingRow(line: row["line"], json: json, timestamp: row["recorded_at"]))
            }
            return rows
        }
    }

    /// W&B holds the run with these facts (`configJSON` as sent) under `entity`.
    func recordRunUpserted(jobID: String, configJSON: String, entity: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE telemetry_job SET resolved_entity = ?, run_upserted = (config = ?) WHERE job_id = ?",
                arguments: [entity, configJSON, jobID])
        }
    }

    /// W&B acknowledged every history line before `lines`; clears the last failure.
    func recordAcknowledged(jobID: String, lines: Int64) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE telemetry_job SET acknowledged_rows = MAX(acknowledged_rows, ?), last_failure = NULL,
                        last_failure_at = NULL, last_pushed_at = ? WHERE job_id = ?
                    """,
                arguments: [lines, Date().timeIntervalSince1970, jobID])
        }
    }

    /// W&B acknowledged the run's completion (exit code and final summary).
    func recordCompletionAcknowledged(jobID: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE telemetry_job SET completion_acknowledged = 1, last_failure = NULL, last_failure_at = NULL,
                        last_pushed_at = ? WHERE job_id = ?
                    """,
                arguments: [Date().timeIntervalSince1970, jobID])
        }
    }

    /// W&B asked for the run to stop: nothing more is sent for it.
    func recordStoppedByService(jobID: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE telemetry_job SET stopped_by_service = 1 WHERE job_id = ?", arguments: [jobID])
        }
        try await recordFailure(jobID: jobID, .stoppedByService)
    }

    /// The last attempt for `jobID` failed with `failure` (kept for `status`).
    func recordFailure(jobID: String, _ failure: TelemetryPushFailure) async throws {
        let encoded = try TelemetryJSON.encode(failure)
        try await database.write { db in
            try db.execute(
                sql: "UPDATE telemetry_job SET last_failure = ?, last_failure_at = ? WHERE job_id = ?",
                arguments: [encoded, Date().timeIntervalSince1970, jobID])
        }
    }

    private static func pushState(_ row: Row) -> JobPushState {
        let configJSON: String = row["config"]
        let config = (try? TelemetryJSON.decode([String: TelemetryValue].self, from: configJSON)) ?? [:]
        let failureJSON: String? = row["last_failure"]
        let exitCode: Int64? = row["exit_code"]
        return JobPushState(
            facts: WandBRunFacts(
                jobID: row["job_id"], baseURL: row["base_url"], entity: row["entity"], project: row["project"],
                displayName: row["display_name"], config: config, keySecret: row["key_secret"]),
            configJSON: configJSON,
            startedAt: row["started_at"],
            rowCount: row["row_count"],
            acknowledgedRows: row["acknowledged_rows"],
            runUpserted: row["run_upserted"],
            resolvedEntity: row["resolved_entity"],
            exitCode: exitCode.map { Int32(truncatingIfNeeded: $0) },
            finishedAt: row["finished_at"],
            completionAcknowledged: row["completion_acknowledged"],
            stoppedByService: row["stopped_by_service"],
            lastValues: row["last_values"],
            lastRowTimestamp: row["last_row_timestamp"],
            malformedLines: row["malformed_lines"],
            lastFailure: failureJSON.flatMap { try? TelemetryJSON.decode(TelemetryPushFailure.self, from: $0) },
            lastFailureAt: row["last_failure_at"])
    }
}
