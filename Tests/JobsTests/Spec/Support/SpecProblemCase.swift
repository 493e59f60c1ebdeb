import Jobs
import Testing

/// One broken spec and the problem it must produce: where (line, key path) and what the message says.
struct SpecProblemCase: CustomTestStringConvertible, Sendable {
    let label: String
    let text: String
    let line: Int?
    let keyPath: String
    let fragments: [String]

    var testDescription: String { label }

    /// Expects exactly one of `problems` to be this case's, with every problem listed when none is.
    func expectLocated(in problems: [JobSpecProblem]) {
        expectProblem(in: problems, line: line, keyPath: keyPath, containingAll: fragments)
    }
}
