/// One history row as the outbox stores it: the metrics as a JSON object (without W&B's own `_step`,
/// `_runtime` and `_timestamp`, which are added when the row is sent) and when it was recorded.
public struct TelemetryRow: Sendable, Equatable {
    /// The row's metrics as compact JSON object text, e.g. `{"step":10,"train_loss":0.41}`.
    public let json: String
    /// When the row was recorded, in seconds since 1970: the row's own `_timestamp` when the trainer gave one,
    /// otherwise when the runner read it.
    public let timestamp: Double
}
