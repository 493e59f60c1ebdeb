/// How long to wait before trying W&B again after consecutive failures: exponential growth from ``initial`` up
/// to ``maximum``, each wait picked at random between half and all of it (jitter), so that many runners
/// recovering from one outage do not retry in lockstep.
public struct RetryBackoff: Sendable, Equatable {
    /// The wait after the first failure (before jitter).
    public var initial: Duration
    /// The longest wait (before jitter).
    public var maximum: Duration

    /// A backoff from `initial` doubling up to `maximum`.
    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(60)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The wait after `failures` consecutive failures (1 = the first).
    public func delay(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        var base = initial
        for _ in 0..<exponent where base < maximum { base = base * 2 }
        base = min(base, maximum)
        return base * Double.random(in: 0.5...1.0)
    }
}
