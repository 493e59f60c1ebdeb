import Foundation

/// Moves a job step's metrics file into the outbox while the step runs: the runner's side of
/// `$JOBRUNNER_METRICS`.
///
/// It resumes from the offset the outbox stored for `(jobID, stream)`, so after a runner restart the same
/// ingestion simply picks up where the last committed batch ended: no row lost, none stored twice.
public struct MetricsFileIngestion: Sendable {
    /// How much an ingestion has done, and where the file stands.
    public struct Progress: Sendable, Equatable {
        /// Rows stored by this call.
        public var rowsIngested = 0
        /// Lines skipped because they were not JSON objects, by this call.
        public var malformedLines = 0
        /// The byte offset the file is ingested up to (stored in the outbox).
        public var offset: UInt64 = 0
    }

    /// Where the rows go.
    public let outbox: TelemetryOutbox
    /// The job the rows belong to (registered in the outbox).
    public let jobID: String
    /// The name the file's offset is stored under: one per file, e.g. the step's name.
    public let stream: String
    /// The file reader.
    public let tail: MetricsFileTail
    /// How often ``follow()`` looks for new lines.
    public let pollInterval: Duration

    /// An ingestion of the metrics file at `path` for `jobID`, its offset stored under `stream`.
    public init(
        outbox: TelemetryOutbox, jobID: String, path: String, stream: String = "metrics", pollInterval: Duration = .milliseconds(50),
        maximumBatchBytes: Int = 4 << 20
    ) {
        self.outbox = outbox
        self.jobID = jobID
        self.stream = stream
        self.tail = MetricsFileTail(path: path, maximumBatchBytes: maximumBatchBytes)
        self.pollInterval = pollInterval
    }

    /// Stores every complete line the file holds beyond the stored offset, batch by batch, and returns.
    public func drain() async throws -> Progress {
        var progress = Progress(offset: try await outbox.ingestedOffset(jobID: jobID, stream: stream))
        try await drain(&progress)
        return progress
    }

    /// Follows the file until the calling task is cancelled (when the step's process has exited), then stores
    /// what was written up to that moment and returns. A cancelled follow still finishes its last drain.
    public func follow() async throws -> Progress {
        var progress = Progress()
        var offsetKnown = false
        while !Task.isCancelled {
            do {
                if !offsetKnown {
                    progress.offset = try await outbox.ingestedOffset(jobID: jobID, stream: stream)
                    offsetKnown = true
                }
                try await drain(&progress)
            } catch is CancellationError {
                break
            }
            try? await Task.sleep(for: pollInterval)
        }
        // The last drain runs in a task of its own: the caller's task is cancelled, the file's last lines are not.
        return try await Task { [progress] in
            var final = progress
            final.offset = try await outbox.ingestedOffset(jobID: jobID, stream: stream)
            try await drain(&final)
            return final
        }.value
    }

    /// Reads and stores batches from `progress.offset` until a read finds no complete line.
    private func drain(_ progress: inout Progress) async throws {
        while true {
            let batch = try tail.read(from: progress.offset)
            if batch.isEmpty { return }
            try await outbox.ingest(batch, jobID: jobID, stream: stream)
            progress.rowsIngested += batch.rows.count
            progress.malformedLines += batch.malformedLines
            progress.offset = batch.endOffset
        }
    }
}
