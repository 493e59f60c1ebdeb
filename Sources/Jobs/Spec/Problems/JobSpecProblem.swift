/// One thing wrong with a spec file, located precisely enough that the author can go straight to it.
public struct JobSpecProblem: Sendable, Equatable, CustomStringConvertible {
    /// The spec file's path as it was given to the loader.
    public let file: String
    /// The 1-based line the problem is on, or `nil` when it concerns the whole file.
    public let line: Int?
    /// Where in the document the problem is, e.g. `steps[0].env.HF_TOKEN.secret`; empty for the whole document.
    public let keyPath: String
    /// What is wrong and how to fix it; never contains a secret value or an environment value from the spec.
    public let message: String

    /// A problem at `line` and `keyPath` of `file`.
    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// The compiler-style form `file:line: key.path: message`, so editors and terminals can jump to it.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + message
    }
}
