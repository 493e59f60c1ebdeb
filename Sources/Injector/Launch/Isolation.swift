/// How a launched child was actually isolated, so the runner can say once when it had to fall back.
public enum Isolation: Sendable, Equatable, CustomStringConvertible {
    /// Private mount and PID namespace: only the job sees the tmpfs, and the job dies with the runner.
    case namespace
    /// A plain directory under `/dev/shm`, deleted after the job and swept at the next start if the runner dies.
    case sharedMemory(reason: String)

    /// A short phrase for logs and step records.
    public var description: String {
        switch self {
        case .namespace: "namespace"
        case .sharedMemory(let reason): "shared memory (/dev/shm): \(reason)"
        }
    }
}
