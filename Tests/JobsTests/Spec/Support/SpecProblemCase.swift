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
        let matches = problems.filter { problem in
            problem.line == line && problem.keyPath == keyPath && fragments.allSatisfy { problem.message.contains($0) }
        }
        #expect(
            matches.count == 1,
            Comment(
                rawValue: "expected line \(line.map(String.init) ?? "-") '\(keyPath)' with \(fragments); got:\n"
                    + problems.map(\.description).joined(separator: "\n")))
    }
}
