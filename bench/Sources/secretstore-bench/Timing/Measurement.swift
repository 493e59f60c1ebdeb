/// How long a number of operations took, and the rates derived from it.
struct Measurement {
    /// What was measured, as the table shows it.
    let name: String
    /// Operations done in `duration`.
    let operations: Int
    /// Wall-clock time of the timed region only.
    let duration: Duration

    /// The duration in seconds, as a floating-point number for arithmetic and display.
    var seconds: Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// Operations per second.
    var operationsPerSecond: Double { Double(operations) / seconds }

    /// Microseconds per operation.
    var microsecondsPerOperation: Double { seconds * 1e6 / Double(operations) }

    /// Times `body` once with `ContinuousClock`, which never jumps with wall-clock adjustments.
    static func time(_ name: String, operations: Int, _ body: () throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return Measurement(name: name, operations: operations, duration: start.duration(to: clock.now))
    }

    /// Runs `operation` for `iterations` untimed warm-up calls (caches, allocator, lazy initialisation), then
    /// times `iterations` more calls.
    static func timeWithWarmUp(
        _ name: String, iterations: Int, _ operation: (_ index: Int) throws -> Void
    ) rethrows -> Measurement {
        for index in 0..<iterations { try operation(index) }
        return try time(name, operations: iterations) {
            for index in 0..<iterations { try operation(index) }
        }
    }
}
