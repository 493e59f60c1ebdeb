/// A job as the pusher sees it: its run facts and how far W&B has acknowledged it.
struct JobPushState: Sendable {
    let facts: WandBRunFacts
    let configJSON: String
    let startedAt: Double
    let rowCount: Int64
    let acknowledgedRows: Int64
    let runUpserted: Bool
    let resolvedEntity: String?
    let exitCode: Int32?
    let finishedAt: Double?
    let completionAcknowledged: Bool
    let stoppedByService: Bool
    let lastValues: String
    let lastRowTimestamp: Double?
    let malformedLines: Int64
    let lastFailure: TelemetryPushFailure?
    let lastFailureAt: Double?

    /// Whether anything is left to send: the run's facts, rows, or its completion.
    var hasWork: Bool {
        !stoppedByService && (!runUpserted || resolvedEntity == nil || acknowledgedRows < rowCount || needsCompletion)
    }

    /// Whether the job finished and every row is acknowledged, but W&B was not yet told the run is complete.
    var needsCompletion: Bool { exitCode != nil && !completionAcknowledged }
}
