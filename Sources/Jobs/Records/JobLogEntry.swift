import SecretStore

/// One line of a job's log as stored in `DATA_DIR/logs/JOB.jsonl`: already masked, never a secret value.
public struct JobLogEntry: Sendable, Codable, Equatable {
    /// When the line was written, ISO-8601 UTC with a `Z`.
    public var timestamp: String
    /// The run.
    public var job: String
    /// The step that wrote it.
    public var step: String
    /// `stdout` or `stderr` of the child, or `runner` for the runner's own notes.
    public var stream: String
    /// The line, without its newline.
    public var message: String

    /// An entry stamped now.
    public init(job: JobID, step: String, stream: String, message: String, time: Timestamp = .now()) {
        self.timestamp = "\(time)Z"
        self.job = job.rawValue
        self.step = step
        self.stream = stream
        self.message = message
    }
}
