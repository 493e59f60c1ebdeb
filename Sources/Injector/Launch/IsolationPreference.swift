/// How the caller wants a child and its secret files isolated (the runner's `--isolation` choice).
public enum IsolationPreference: Sendable, Equatable {
    /// A private mount and PID namespace when the kernel allows it, else a plain directory under `/dev/shm`.
    case automatic
    /// Only the private namespace: the launch fails with ``LaunchError/isolationUnavailable(reason:)`` without it.
    case namespace
    /// Always a plain directory under `/dev/shm` and a job forked straight from the runner.
    case sharedMemory
}
