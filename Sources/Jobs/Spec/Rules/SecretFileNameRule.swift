/// The rule for the names of secret files: one plain path component, so that a file can only ever be created
/// inside the step's private secrets directory.
enum SecretFileNameRule {
    /// The longest name most file systems accept, in bytes.
    static let maximumByteCount = 255

    /// Why `name` is not a safe file name, or `nil` when it is.
    static func problem(with name: String) -> String? {
        reason(name).map { "unsafe file name '\(name.escapedForSpecMessage)': \($0)" }
    }

    /// What is wrong with `name`. The message's quoted name is only built for a name that has a problem:
    /// `exec` checks every name before each job starts.
    private static func reason(_ name: String) -> String? {
        let advice = "use a plain name such as wandb_key"
        if name.isEmpty { return "it is empty; \(advice)" }
        if name == "." || name == ".." { return "it names a directory; \(advice)" }
        if name.utf8.contains(0) { return "it contains a NUL character; \(advice)" }
        if name.utf8.contains(UInt8(ascii: "/")) {
            return "it contains '/'; files go directly into the secrets directory; \(advice)"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains a control character; \(advice)"
        }
        if name.utf8.count > maximumByteCount {
            return "it is \(name.utf8.count) bytes long; the limit is \(maximumByteCount)"
        }
        return nil
    }
}
