/// The exit statuses `jobrunner run` and `exec` use for themselves; every other status is the child's own (128+N
/// when it died of signal N), so scripts can tell the runner's problems from the job's.
public enum RunnerExitStatus {
    /// The spec or the command line is invalid; nothing ran.
    public static let invalidInput: Int32 = 2
    /// A step ran past its `timeout_seconds` and was stopped (as `timeout(1)` reports it).
    public static let timedOut: Int32 = 124
    /// The runner itself failed: secrets could not be resolved, records could not be written, isolation failed.
    public static let runnerFailure: Int32 = 125
    /// The command exists but cannot be executed.
    public static let cannotExecute: Int32 = 126
    /// The command does not exist.
    public static let commandNotFound: Int32 = 127
}
