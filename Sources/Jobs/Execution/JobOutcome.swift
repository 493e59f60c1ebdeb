/// How a run ended, for the command line to report and exit with.
public struct JobOutcome: Sendable {
    /// The run's id.
    public let job: JobID
    /// Its final status.
    public let status: RunStatus
    /// The status the runner exits with: 0, the failing step's, or one of ``RunnerExitStatus``.
    public let exitStatus: Int32
}
