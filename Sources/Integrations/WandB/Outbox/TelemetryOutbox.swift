import Foundation
import GRDB
import SecretStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The runner's durable telemetry outbox: every row a job reports is stored here (a SQLite file in WAL mode,
/// mode 0600) before anything is sent, so neither a slow W&B nor a runner restart loses or repeats a row.
///
/// Ingest is exactly-once: a metrics file's rows and the byte offset they end at are committed in one
/// transaction (one fsync per batch), and a restarted runner re-tails from that offset. Sending is tracked per
/// job as the number of history lines W&B acknowledged; ``TelemetryPusher`` reads and advances it. The W&B API
/// key is never stored here.
public final class TelemetryOutbox: Sendable {
    /// The SQLite file.
    public let path: String
    let database: DatabasePool

    /// Opens (or creates, mode 0600) the outbox at `path`, e.g. `DATA_DIR/telemetry.sqlite`.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
        for companion in [path + "-wal", path + "-shm"] { chmod(companion, 0o600) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabasePool.openMigrated(
            path: path, configuration: configuration, migrator: Self.migrator, waitingAtMost: 60)
    }

    /// Registers a job's W&B run, or updates its facts when it is registered already (its rows are kept).
    /// A change of config or display name makes the pusher send the run's facts again.
    public func register(_ facts: WandBRunFacts, startedAt: Date = Date()) async throws {
        let config = try TelemetryJSON.encode(facts.config)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO telemetry_job (job_id, run_id, base_url, entity, project, display_name, config, key_secret, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(job_id) DO UPDATE SET
                        run_upserted = CASE WHEN config = excluded.config AND display_name = excluded.display_name
                            AND base_url = excluded.base_url AND project = excluded.project
                            AND entity IS excluded.entity THEN run_upserted ELSE 0 END,
                        resolved_entity = CASE WHEN base_url = excluded.base_url AND entity IS excluded.entity
                            THEN resolved_entity ELSE NULL END,
                        run_id = excluded.run_id, base_url = excluded.base_url, entity = excluded.entity,
                        project = excluded.project, display_name = excluded.display_name, config = excluded.config,
                        key_secret = excluded.key_secret
                    """,
                arguments: [
                    facts.jobID, facts.runID.value, facts.baseURL, facts.entity, facts.project, facts.displayName, config,
                    facts.keySecret, startedAt.timeIntervalSince1970,
                ])
        }
    }

    /// The byte offset up to which `stream` of `jobID` has been ingested (0 when never): where a tail resumes.
    public func ingestedOffset(jobID: String, stream: String) async throws -> UInt64 {
        try await database.read { db in
            let offset = try Int64.fetchOne(
                db, sql: "SELECT byte_offset FROM telemetry_stream WHERE job_id = ? AND stream = ?", arguments: [jobID, stream])
            return UInt64(offset ?? 0)
        }
    }

    /// Stores a batch read from `stream` (e.g. the step's metrics file) and the offset it ends at, in one
    /// transaction. The batch must start at the stored offset, so a batch is never stored twice.
    public func ingest(_ batch: MetricsBatch, jobID: String, stream: String) async throws {
        guard !batch.isEmpty else { return }
        try await database.write { db in
            let stored = try Int64.fetchOne(
                db, sql: "SELECT byte_offset FROM telemetry_stream WHERE job_id = ? AND stream = ?", arguments: [jobID, stream])
            guard UInt64(stored ?? 0) == batch.startOffset else {
                throw TelemetryOutboxError.offsetMismatch(
                    jobID: jobID, stream: stream, stored: UInt64(stored ?? 0), batchStart: batch.startOffset)
            }
            try Self.append(batch, jobID: jobID, in: db)
            try db.execute(
                sql: """
                    INSERT INTO telemetry_stream (job_id, stream, byte_offset) VALUES (?, ?, ?)
                    ON CONFLICT(job_id, stream) DO UPDATE SET byte_offset = excluded.byte_offset
                    """,
                arguments: [jobID, stream, Int64(batch.endOffset)])
        }
    }

    /// Adds rows of the runner's own (step names, step durations, exit codes) to the job's history, after the
    /// rows stored so far.
    public func appendRows(_ rows: [[String: TelemetryValue]], jobID: String, recordedAt: Date = Date()) async throws {
        guard !rows.isEmpty else { return }
        var decoder = MetricsLineDecoder()
        for row in rows {
            decoder.decode(Array(try TelemetryJSON.encode(row).utf8), receivedAt: recordedAt.timeIntervalSince1970)
        }
        let batch = decoder.batch(from: 0, to: 0)
        try await database.write { db in try Self.append(batch, jobID: jobID, in: db) }
    }

    /// Records the job's exit code: once every row is sent, the pusher marks the W&B run complete with it.
    public func finish(jobID: String, exitCode: Int32, finishedAt: Date = Date()) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE telemetry_job SET exit_code = ?, finished_at = ? WHERE job_id = ? AND exit_code IS NULL",
                arguments: [exitCode, finishedAt.timeIntervalSince1970, jobID])
            if db.changesCount == 0 {
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM telemetry_job WHERE job_id = ?", arguments: [jobID]) ?? false
                if !exists { throw TelemetryOutboxError.unknownJob(jobID) }
            }
        }
    }

    /// Appends `batch`'s rows as the next history lines of `jobID` and merges their last values into the
    /// job's summary, inside the caller's transaction.
    private static func append(_ batch: MetricsBatch, jobID: String, in db: Database) throws {
        guard
            let job = try Row.fetchOne(
                db, sql: "SELECT row_count, last_values, exit_code FROM telemetry_job WHERE job_id = ?", arguments: [jobID])
        else { throw TelemetryOutboxError.unknownJob(jobID) }
        let finished: Int64? = job["exit_code"]
        guard finished == nil else { throw TelemetryOutboxError.jobAlreadyFinished(jobID) }
        let firstLine: Int64 = job["row_count"]
        let insert = try db.cachedStatement(
            sql: "INSERT INTO telemetry_row (job_id, line, payload, recorded_at) VALUES (?, ?, ?, ?)")
        for (index, row) in batch.rows.enumerated() {
            try insert.execute(arguments: [jobID, firstLine + Int64(index), row.json, row.timestamp])
        }
        var lastValues: String = job["last_values"]
        if let patch = batch.lastValues { lastValues = SummaryMerge.merge(patch, into: lastValues) }
        try db.execute(
            sql: """
                UPDATE telemetry_job SET row_count = row_count + ?, malformed_lines = malformed_lines + ?, last_values = ?,
                    last_row_timestamp = COALESCE(?, last_row_timestamp)
                WHERE job_id = ?
                """,
            arguments: [batch.rows.count, batch.malformedLines, lastValues, batch.rows.last?.timestamp, jobID])
    }
}
