/// The knobs of ``TelemetryPusher``; the defaults suit a runner talking to api.wandb.ai.
public struct TelemetryPusherSettings: Sendable, Equatable {
    /// The most history rows in one file_stream request.
    public var batchRows: Int
    /// About the most bytes of history in one request (at least one row is always sent).
    public var batchBytes: Int
    /// How long one HTTP request may take before it is abandoned (and retried later).
    public var requestTimeout: Duration
    /// How often the background loop looks for new rows to send.
    public var pollInterval: Duration
    /// The waits between attempts after failures.
    public var backoff: RetryBackoff

    /// Settings with the defaults: 1,000 rows or 2 MiB per request, 30 s timeout, a look every second, backoff
    /// from 0.5 s to 60 s.
    public init(
        batchRows: Int = 1000, batchBytes: Int = 2 << 20, requestTimeout: Duration = .seconds(30),
        pollInterval: Duration = .seconds(1), backoff: RetryBackoff = RetryBackoff()
    ) {
        self.batchRows = max(batchRows, 1)
        self.batchBytes = max(batchBytes, 1)
        self.requestTimeout = requestTimeout
        self.pollInterval = pollInterval
        self.backoff = backoff
    }
}
