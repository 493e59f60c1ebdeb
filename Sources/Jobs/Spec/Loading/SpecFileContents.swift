import Foundation

/// Reads a spec file as UTF-8 text, reporting a missing, unreadable or non-UTF-8 file as a problem rather than
/// failing with a bare system error.
enum SpecFileContents {
    /// The text of the file at `path`, or `nil` with the reason reported.
    static func read(path: String, problems: SpecProblemList) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.report("no such file; give the path of a .yaml or .json job spec", line: nil, at: .root)
            return nil
        }
        guard !isDirectory.boolValue else {
            problems.report("this is a directory; give the path of a .yaml or .json job spec in it", line: nil, at: .root)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.report("the file cannot be read; check its permissions", line: nil, at: .root)
            return nil
        }
        if let line = firstInvalidUTF8Line(in: data) {
            problems.report("the file is not UTF-8 text (an invalid byte sequence); save it as UTF-8", line: line, at: .root)
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The 1-based line of the first byte sequence that is not UTF-8, or `nil` when all of `data` is UTF-8.
    private static func firstInvalidUTF8Line(in data: Data) -> Int? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                if scalar == "\n" { line += 1 }
            case .emptyInput:
                return nil
            case .error:
                return line
            }
        }
    }
}
