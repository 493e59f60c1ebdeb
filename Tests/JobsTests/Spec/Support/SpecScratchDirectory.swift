import Foundation
import Jobs
import Testing

/// A private directory for the spec files one test writes, removed when the test is done with it.
final class SpecScratchDirectory {
    /// The directory's absolute path.
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/jobs-spec-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` (which may include subdirectories) and returns the file's absolute path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try write(bytes: Array(text.utf8), to: name)
    }

    /// Writes `bytes` to `name` and returns the file's absolute path.
    @discardableResult
    func write(bytes: [UInt8], to name: String) throws -> String {
        let file = path + "/" + name
        let parent = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return file
    }

    /// Writes `text` to `name` and loads it as a spec.
    func load(_ text: String, as name: String = "spec.yaml") throws -> JobSpec {
        try JobSpecLoader.load(path: write(text, to: name))
    }

    /// Writes `text` to `name`, loads it, and returns the problems the loader reported (none when it loaded).
    func problems(_ text: String, as name: String = "spec.yaml") throws -> [JobSpecProblem] {
        let file = try write(text, to: name)
        do {
            _ = try JobSpecLoader.load(path: file)
            return []
        } catch let error as JobSpecError {
            return error.problems
        }
    }
}

/// Expects exactly one problem in `problems` at `line` and `keyPath` whose message contains every fragment.
func expectProblem(
    in problems: [JobSpecProblem], line: Int?, keyPath: String, containing fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectProblem(in: problems, line: line, keyPath: keyPath, containingAll: fragments, sourceLocation: sourceLocation)
}

/// ``expectProblem(in:line:keyPath:containing:sourceLocation:)`` with the fragments in an array.
func expectProblem(
    in problems: [JobSpecProblem], line: Int?, keyPath: String, containingAll fragments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let matches = problems.filter { problem in
        problem.line == line && problem.keyPath == keyPath && fragments.allSatisfy { problem.message.contains($0) }
    }
    #expect(
        matches.count == 1,
        Comment(
            rawValue: "expected one problem at line \(line.map(String.init) ?? "-") '\(keyPath)' containing \(fragments); got:\n"
                + problems.map(\.description).joined(separator: "\n")),
        sourceLocation: sourceLocation)
}
