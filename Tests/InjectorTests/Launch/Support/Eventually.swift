/// Waits for a condition that another process brings about, checking it often and giving up only after a deadline
/// far beyond any plausible delay, so tests never depend on the machine's speed.
enum Eventually {
    /// How long to wait before declaring that the condition will never hold.
    static let deadline: Duration = .seconds(60)

    /// Returns once `condition` holds; throws when it still does not after ``deadline``.
    static func wait(_ what: String, until condition: () throws -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        while try !condition() {
            if clock.now > end { throw CollectorError("gave up waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

}
