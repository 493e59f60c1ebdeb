/// Why a spec file was refused: every problem found in it, so that one round of edits can fix them all.
public struct JobSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems in file order; never empty.
    public let problems: [JobSpecProblem]

    /// An error carrying `problems`.
    public init(problems: [JobSpecProblem]) {
        self.problems = problems
    }

    /// One problem per line, in file order.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
