extension TelemetryOutbox {
    /// Where each job's telemetry stands (rows stored, sent and pending, run state, last failure), for one job
    /// or all of them, oldest first. Reads only the outbox, so it works while the runner is pushing.
    public func status(jobID: String? = nil) async throws -> [TelemetryJobStatus] {
        try await pushStates(jobID: jobID).map(TelemetryJobStatus.init)
    }
}
