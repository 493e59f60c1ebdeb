/// A failure worth another attempt (connection lost, 5xx, 429, body cut short). `error` is what the caller sees
/// once the attempts run out.
struct RetryableFailure: Error {
    /// The error reported when no attempt is left.
    let error: HubError
    /// The server's `Retry-After`, when it sent one.
    let retryAfter: Duration?

    init(_ error: HubError, retryAfter: Duration? = nil) {
        self.error = error
        self.retryAfter = retryAfter
    }
}

extension HubRetryPolicy {
    /// Runs `operation` until it succeeds, throws something other than a `RetryableFailure`, or the attempts run
    /// out (then the failure's `HubError` is thrown). `onRetry` hears about each retry, for logs.
    func run<T>(
        onRetry: (Int, HubError) -> Void = { _, _ in },
        _ operation: (_ attempt: Int) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await operation(attempt)
            } catch let failure as RetryableFailure {
                guard attempt < maxAttempts else { throw failure.error }
                onRetry(attempt, failure.error)
                try await Task.sleep(for: delay(beforeRetry: attempt, serverAsked: failure.retryAfter))
                attempt += 1
            }
        }
    }
}
