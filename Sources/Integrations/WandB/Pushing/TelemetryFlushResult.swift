/// What ``TelemetryPusher/flush(jobID:timeout:)`` achieved for one job: what `jobrunner telemetry flush` prints.
public struct TelemetryFlushResult: Sendable, Equatable {
    /// How the flush ended for the job.
    public enum Outcome: Sendable, Equatable {
        /// W&B holds every row and knows the run is complete.
        case complete
        /// W&B holds every row stored so far; the job is still running.
        case upToDate
        /// Sending stopped on a failure that waiting does not fix (refused key, no key, rejected request,
        /// run stopped by W&B). The rows stay in the outbox.
        case failed(TelemetryPushFailure)
        /// The deadline came first; the last failure, if any, says why.
        case timedOut(lastFailure: TelemetryPushFailure?)
    }

    /// The runner's job id.
    public let jobID: String
    /// How the flush ended.
    public let outcome: Outcome
    /// History rows W&B has acknowledged (in total, not only during this flush).
    public let rowsSent: Int
    /// History rows still waiting in the outbox.
    public let rowsPending: Int
}
