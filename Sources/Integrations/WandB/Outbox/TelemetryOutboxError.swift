/// Why the outbox refused a change; each case is a mistake of the caller, not of W&B.
public enum TelemetryOutboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No job with this id was registered.
    case unknownJob(String)
    /// The job already has its exit code; rows after that would never reach W&B.
    case jobAlreadyFinished(String)
    /// A batch did not start where the stream's stored offset is: two tails on one stream, or a stale batch.
    case offsetMismatch(jobID: String, stream: String, stored: UInt64, batchStart: UInt64)

    /// A sentence for the runner's log.
    public var description: String {
        switch self {
        case .unknownJob(let job): return "telemetry: no job \(job) is registered in the outbox"
        case .jobAlreadyFinished(let job): return "telemetry: job \(job) has finished; no more rows are accepted"
        case .offsetMismatch(let job, let stream, let stored, let start):
            return "telemetry: job \(job) stream \(stream) is at byte \(stored), but a batch starting at \(start) was offered"
        }
    }
}
