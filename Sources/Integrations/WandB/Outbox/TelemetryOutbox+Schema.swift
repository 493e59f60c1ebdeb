import GRDB

extension TelemetryOutbox {
    /// The outbox tables. One row per job (its run facts and push progress), its history rows numbered by
    /// history line, and the byte offset each metrics stream of the job has been ingested up to.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE telemetry_job (
                        job_id TEXT PRIMARY KEY NOT NULL,
                        run_id TEXT NOT NULL,
                        base_url TEXT NOT NULL,
                        entity TEXT,
                        project TEXT NOT NULL,
                        display_name TEXT NOT NULL,
                        config TEXT NOT NULL,
                        key_secret TEXT,
                        started_at REAL NOT NULL,
                        row_count INTEGER NOT NULL DEFAULT 0,
                        last_values TEXT NOT NULL DEFAULT '{}',
                        last_row_timestamp REAL,
                        malformed_lines INTEGER NOT NULL DEFAULT 0,
                        exit_code INTEGER,
                        finished_at REAL,
                        run_upserted INTEGER NOT NULL DEFAULT 0,
                        resolved_entity TEXT,
                        acknowledged_rows INTEGER NOT NULL DEFAULT 0,
                        completion_acknowledged INTEGER NOT NULL DEFAULT 0,
                        stopped_by_service INTEGER NOT NULL DEFAULT 0,
                        last_failure TEXT,
                        last_failure_at REAL,
                        last_pushed_at REAL
                    );
                    CREATE TABLE telemetry_row (
                        job_id TEXT NOT NULL REFERENCES telemetry_job(job_id) ON DELETE CASCADE,
                        line INTEGER NOT NULL,
                        payload TEXT NOT NULL,
                        recorded_at REAL NOT NULL,
                        PRIMARY KEY (job_id, line)
                    ) WITHOUT ROWID;
                    CREATE TABLE telemetry_stream (
                        job_id TEXT NOT NULL REFERENCES telemetry_job(job_id) ON DELETE CASCADE,
                        stream TEXT NOT NULL,
                        byte_offset INTEGER NOT NULL,
                        PRIMARY KEY (job_id, stream)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
