/// Remembers which names a scope has already used and where, so that a repeated name can be reported with the
/// line of its first use.
struct SpecNameClaims {
    /// The outcome of claiming a name.
    enum Claim {
        /// The name was free and now belongs to the claimant.
        case claimed
        /// The name was already used, on this line if known.
        case taken(firstLine: Int?)
    }

    private var firstLines: [String: Int?] = [:]

    /// Claims `name` for a use on `line`.
    mutating func claim(_ name: String, line: Int?) -> Claim {
        if let firstLine = firstLines[name] { return .taken(firstLine: firstLine) }
        firstLines[name] = line
        return .claimed
    }
}
