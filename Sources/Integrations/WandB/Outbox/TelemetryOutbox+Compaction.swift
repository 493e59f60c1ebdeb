import GRDB

extension TelemetryOutbox {
    /// Deletes the rows W&B has acknowledged (for every job) and returns how many; counts, offsets and
    /// summaries are kept, so status and later pushes are unaffected. Run it now and then to bound the file.
    @discardableResult
    public func deleteSentRows() async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM telemetry_row WHERE line < (
                        SELECT acknowledged_rows FROM telemetry_job WHERE telemetry_job.job_id = telemetry_row.job_id)
                    """)
            return db.changesCount
        }
    }
}
