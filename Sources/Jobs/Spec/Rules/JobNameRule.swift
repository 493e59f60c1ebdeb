/// The rule for job and step names: 1 to 63 ASCII letters, digits, `.`, `_` or `-`, starting with a letter or a
/// digit, so that names are safe in file names, log lines, W&B run names and Kubernetes labels.
enum JobNameRule {
    /// The longest name accepted.
    static let maximumLength = 63

    /// Why `name` breaks the rule, or `nil` when it follows it; `kind` is e.g. "job name" or "step name".
    static func problem(with name: String, kind: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        let advice = "use 1 to \(maximumLength) ASCII letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. train-1"
        let shown = "invalid \(kind) '\(name.escapedForSpecMessage)'"
        guard let first = scalars.first else { return "\(shown): it is empty; \(advice)" }
        guard isLetterOrDigit(first) else { return "\(shown): it must start with a letter or digit; \(advice)" }
        if let offending = scalars.firstIndex(where: { !isLetterOrDigit($0) && !"._-".unicodeScalars.contains($0) }) {
            return "\(shown): character \(offending + 1) is not allowed; \(advice)"
        }
        if scalars.count > maximumLength {
            return "\(shown): it is \(scalars.count) characters long; \(advice)"
        }
        return nil
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return false
        }
    }
}
