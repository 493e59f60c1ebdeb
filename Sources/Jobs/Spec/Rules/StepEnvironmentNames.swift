/// The variables one step sets, from `env` and from files' `env` alike, so that each name is checked against
/// ``EnvironmentNameRule`` and set only once per step.
struct StepEnvironmentNames {
    private var claims = SpecNameClaims()

    /// Checks `name`, set by the value at `path` on `line`; reports and returns `false` when it is invalid,
    /// reserved, or already set in this step.
    mutating func claim(_ name: String, line: Int?, at path: SpecKeyPath, problems: SpecProblemList) -> Bool {
        if let problem = EnvironmentNameRule.problem(with: name) {
            problems.report(problem, line: line, at: path)
            return false
        }
        if case let .taken(firstLine) = claims.claim(name, line: line) {
            let earlier = firstLine.map { " on line \($0)" } ?? ""
            problems.report(
                "environment variable '\(name)' is already set\(earlier); a step sets each variable once "
                    + "(env and files' env count together)",
                line: line, at: path)
            return false
        }
        return true
    }
}
