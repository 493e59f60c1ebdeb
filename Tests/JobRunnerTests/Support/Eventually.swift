import Foundation

/// Polls `condition` until it holds or `seconds` have passed, and returns whether it held.
///
/// The limit is an upper bound for slow, busy machines, never an expectation of speed: tests wait for events
/// (a readiness file, a process gone), not for durations.
func eventually(within seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() > deadline { return false }
        usleep(20_000)
    }
}
