import Yams

/// The problems found so far while reading one spec file, shared by every reader so that none stops at the
/// first mistake.
final class SpecProblemList {
    /// The spec file's path as the user gave it, repeated in every problem.
    let file: String
    private(set) var problems: [JobSpecProblem] = []

    init(file: String) {
        self.file = file
    }

    /// Whether anything has been reported.
    var isEmpty: Bool { problems.isEmpty }

    /// Records `message` about the value at `path`, on `line`.
    func report(_ message: String, line: Int?, at path: SpecKeyPath) {
        problems.append(JobSpecProblem(file: file, line: line, keyPath: path.description, message: message))
    }

    /// Records `message` about `node`, located by the node's own line.
    func report(_ message: String, about node: Node, at path: SpecKeyPath) {
        report(message, line: node.line, at: path)
    }

    /// The error to throw: the problems sorted by line (whole-file problems first), each keeping its own order
    /// within a line.
    func error() -> JobSpecError {
        let ordered = problems.enumerated().sorted { left, right in
            let leftLine = left.element.line ?? 0
            let rightLine = right.element.line ?? 0
            return leftLine != rightLine ? leftLine < rightLine : left.offset < right.offset
        }
        return JobSpecError(problems: ordered.map(\.element))
    }
}
