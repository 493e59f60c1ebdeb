import SecretStore

/// A secret the child reads from a file in its private secrets directory rather than from its environment.
public struct SecretFile: Sendable {
    /// The file's name inside the directory: a plain name (no `/`, not `.` or `..`, no NUL), as the spec rules check.
    public let name: String
    /// The bytes the file holds, written unchanged (text or binary, one line or many).
    public let value: SecretValue

    /// A file named `name` that holds `value`.
    public init(name: String, value: SecretValue) {
        self.name = name
        self.value = value
    }
}
