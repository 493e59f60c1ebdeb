/// How often and how patiently transient failures (connection errors, 5xx, 429, a body cut short) are retried:
/// exponential backoff with jitter, so that many clients do not hammer a recovering server in step.
public struct HubRetryPolicy: Sendable {
    /// Attempts in total, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The wait before the first retry; it doubles on each further retry.
    public var initialDelay: Duration
    /// The longest wait between two attempts (also caps a server's `Retry-After`).
    public var maxDelay: Duration

    /// A policy of `maxAttempts` attempts, waiting `initialDelay`, then twice that, up to `maxDelay`.
    public init(maxAttempts: Int = 6, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(16)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// Six attempts from 0.5 s to 16 s apart: about half a minute of patience, like huggingface_hub's backoff.
    public static let standard = HubRetryPolicy()

    /// The wait before retry number `retry` (1 for the first retry): full backoff scaled by a random factor in
    /// [0.5, 1], or the server's `Retry-After` when it asked for one.
    func delay(beforeRetry retry: Int, serverAsked: Duration? = nil) -> Duration {
        if let serverAsked { return min(serverAsked, maxDelay) }
        let exponent = min(retry - 1, 30)
        let backoff = min(initialDelay * (1 << exponent), maxDelay)
        return backoff * Double.random(in: 0.5...1.0)
    }
}
