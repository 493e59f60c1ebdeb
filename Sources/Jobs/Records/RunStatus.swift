/// Where a job or one of its steps stands; stored as the lower-case text.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Recorded, not started yet.
    case pending
    /// Its process is running (for a job: the runner is working on it).
    case running
    /// Finished with exit status 0.
    case succeeded
    /// Finished with a non-zero status, or its secrets could not be resolved.
    case failed
    /// Killed after its time limit.
    case timedOut = "timed-out"
    /// Stopped because the runner received SIGINT, SIGTERM or SIGHUP.
    case interrupted
    /// Never started because an earlier step failed.
    case skipped
    /// Marked running, but the runner that ran it is gone (killed without a chance to record the end).
    case abandoned

    /// Whether this status is final.
    public var isFinished: Bool { self != .pending && self != .running }
}
