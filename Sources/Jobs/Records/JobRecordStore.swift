import Foundation
import GRDB
import Injector
import SecretStore

/// The runner's own records in `DATA_DIR/jobs.sqlite`: runs, their steps and the audit trail of secret resolutions.
///
/// Kept apart from `secrets.sqlite` because a runner in remote mode has no local secrets but still records its
/// jobs, and because job history grows without bound while the secrets database should stay small.
public final class JobRecordStore: Sendable {
    /// The database file's name inside the data directory.
    public static let fileName = "jobs.sqlite"

    private let database: DatabaseQueue

    /// Opens (creating with mode 0600 when needed) the records of `dataDirectory`.
    public init(dataDirectory: String) throws {
        try FileManager.default.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw JobRecordError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.foreignKeysEnabled = true
        configuration.label = "jobs"
        configuration.prepareDatabase { db in
            // Records are history, not secrets: WAL with NORMAL sync survives a crash of the runner and costs no
            // fsync per commit, which keeps `jobrunner exec` fast as an entrypoint.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // `run` and `exec` exit without closing this database (see JobExecution), so the log is not folded
            // into the main file at every exit; checkpointing every 64 pages (256 KiB) keeps the log that the next
            // runner recovers on open short.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 64")
        }
        do {
            database = try DatabaseQueue.openMigrated(
                path: path, configuration: configuration, migrator: Self.migrator, waitingAtMost: 60)
        } catch let error as DatabaseError {
            throw JobRecordError("cannot open \(path): \(error.message ?? "SQLite error \(error.resultCode)")")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE job (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        spec_path TEXT,
                        workspace TEXT NOT NULL,
                        owner TEXT,
                        status TEXT NOT NULL,
                        exit_status INTEGER,
                        started_at INTEGER NOT NULL,
                        finished_at INTEGER,
                        message TEXT,
                        runner_pid INTEGER NOT NULL,
                        runner_start_time INTEGER NOT NULL
                    );
                    CREATE INDEX job_started_at ON job(started_at);
                    CREATE TABLE job_step (
                        job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        status TEXT NOT NULL,
                        exit_status INTEGER,
                        started_at INTEGER,
                        finished_at INTEGER,
                        isolation TEXT,
                        message TEXT,
                        PRIMARY KEY (job_id, position)
                    );
                    CREATE TABLE audit_event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time INTEGER NOT NULL,
                        job_id TEXT NOT NULL,
                        step TEXT NOT NULL,
                        reference TEXT NOT NULL,
                        principal TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        reason TEXT
                    );
                    CREATE INDEX audit_event_job ON audit_event(job_id);
                    """)
        }
        return migrator
    }

    // MARK: Writing

    /// Records a run that starts now, with all its steps pending.
    public func begin(_ job: JobRecord, runner: RunnerIdentity) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO job (id, name, spec_path, workspace, owner, status, started_at, runner_pid, runner_start_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.id.rawValue, job.name, job.specPath, job.workspace, job.owner, job.status.rawValue,
                    job.startedAt.microsecondsSinceEpoch, runner.pid, runner.startTime,
                ])
            // One prepared statement for every row: an entrypoint writes these before each job starts.
            let insertStep = try db.cachedStatement(
                sql: "INSERT INTO job_step (job_id, position, name, status) VALUES (?, ?, ?, ?)")
            for step in job.steps {
                try insertStep.execute(arguments: [job.id.rawValue, step.position, step.name, step.status.rawValue])
            }
        }
    }

    /// Replaces the stored state of one step.
    public func update(_ step: StepRecord, of job: JobID) throws {
        try update(step, of: job, appending: [])
    }

    /// Replaces the stored state of one step and appends `audit` in the same transaction: a step's resolutions
    /// are recorded with its start (or its failure), before any value is handed on, in one commit instead of two.
    public func update(_ step: StepRecord, of job: JobID, appending audit: [AuditRecord]) throws {
        try write { db in
            try Self.insert(audit, in: db)
            try db.execute(
                sql: """
                    UPDATE job_step SET status = ?, exit_status = ?, started_at = ?, finished_at = ?, isolation = ?, message = ?
                    WHERE job_id = ? AND position = ?
                    """,
                arguments: [
                    step.status.rawValue, step.exitStatus, step.startedAt?.microsecondsSinceEpoch,
                    step.finishedAt?.microsecondsSinceEpoch, step.isolation, step.message, job.rawValue, step.position,
                ])
        }
    }

    /// Records how a run ended.
    public func finish(_ job: JobID, status: RunStatus, exitStatus: Int32, message: String?) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE job SET status = ?, exit_status = ?, finished_at = ?, message = ? WHERE id = ?",
                arguments: [
                    status.rawValue, exitStatus, Timestamp.now().microsecondsSinceEpoch, message, job.rawValue,
                ])
        }
    }

    /// Appends audit records (never values: the type has no field for one).
    public func append(_ records: [AuditRecord]) throws {
        guard !records.isEmpty else { return }
        try write { db in try Self.insert(records, in: db) }
    }

    private static func insert(_ records: [AuditRecord], in db: Database) throws {
        guard !records.isEmpty else { return }
        // One prepared statement for every row (a step with ten secrets writes ten).
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO audit_event (time, job_id, step, reference, principal, outcome, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        for record in records {
            try insert.execute(arguments: [
                record.time.microsecondsSinceEpoch, record.job.rawValue, record.step, record.reference,
                record.principal, record.outcome, record.reason,
            ])
        }
    }

    // MARK: Reading

    /// The most recent runs first, at most `limit`, with runs whose runner died shown as abandoned.
    public func recentJobs(limit: Int = 50) throws -> [JobRecord] {
        try read { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM job ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [limit])
            return try ids.compactMap { try Self.job(JobID(rawValue: $0), in: db) }
        }
    }

    /// One run with its steps, or nil when no run has that id.
    public func job(_ id: JobID) throws -> JobRecord? {
        try read { db in try Self.job(id, in: db) }
    }

    /// Audit records, oldest first, of one run or of all runs.
    public func auditRecords(job: JobID? = nil, limit: Int = 1000) throws -> [AuditRecord] {
        try read { db in
            let rows: [Row]
            if let job {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM audit_event WHERE job_id = ? ORDER BY id LIMIT ?",
                    arguments: [job.rawValue, limit])
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM (SELECT * FROM audit_event ORDER BY id DESC LIMIT ?) ORDER BY id",
                    arguments: [limit])
            }
            return rows.map { row in
                AuditRecord(
                    time: Timestamp(microsecondsSinceEpoch: row["time"]), job: JobID(rawValue: row["job_id"]),
                    step: row["step"], reference: row["reference"], principal: row["principal"],
                    outcome: row["outcome"], reason: row["reason"])
            }
        }
    }

    private static func job(_ id: JobID, in db: Database) throws -> JobRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id.rawValue]) else {
            return nil
        }
        var status = RunStatus(rawValue: row["status"]) ?? .failed
        let runner = RunnerIdentity(pid: row["runner_pid"], startTime: row["runner_start_time"])
        if !status.isFinished && !runner.isAlive { status = .abandoned }
        let steps = try Row.fetchAll(
            db, sql: "SELECT * FROM job_step WHERE job_id = ? ORDER BY position", arguments: [id.rawValue]
        ).map { step in
            var stepStatus = RunStatus(rawValue: step["status"]) ?? .failed
            if status == .abandoned && !stepStatus.isFinished { stepStatus = .abandoned }
            return StepRecord(
                position: step["position"], name: step["name"], status: stepStatus, exitStatus: step["exit_status"],
                startedAt: (step["started_at"] as Int64?).map(Timestamp.init(microsecondsSinceEpoch:)),
                finishedAt: (step["finished_at"] as Int64?).map(Timestamp.init(microsecondsSinceEpoch:)),
                isolation: step["isolation"], message: step["message"])
        }
        return JobRecord(
            id: id, name: row["name"], specPath: row["spec_path"], workspace: row["workspace"], owner: row["owner"],
            status: status, exitStatus: row["exit_status"],
            startedAt: Timestamp(microsecondsSinceEpoch: row["started_at"]),
            finishedAt: (row["finished_at"] as Int64?).map(Timestamp.init(microsecondsSinceEpoch:)),
            message: row["message"], steps: steps)
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as DatabaseError {
            throw JobRecordError("cannot write job records: \(error.message ?? "SQLite error \(error.resultCode)")")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as DatabaseError {
            throw JobRecordError("cannot read job records: \(error.message ?? "SQLite error \(error.resultCode)")")
        }
    }
}

/// The job records could not be read or written.
public struct JobRecordError: Error, CustomStringConvertible, Sendable {
    /// What failed, for the operator.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
