/// The rule for the names of variables a spec sets: `[A-Za-z_][A-Za-z0-9_]*` (what every shell and runtime
/// accepts), and nothing in the runner's own ``EnvironmentBinding/reservedEnvironmentPrefix``.
enum EnvironmentNameRule {
    /// Why `name` cannot be set by a spec, or `nil` when it can.
    static func problem(with name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        let shown = "invalid environment variable name '\(name.escapedForSpecMessage)'"
        let advice = "use ASCII letters, digits and '_', not starting with a digit, e.g. HF_TOKEN"
        guard let first = scalars.first else { return "\(shown): it is empty; \(advice)" }
        if case "0"..."9" = first { return "\(shown): it starts with a digit; \(advice)" }
        if let offending = scalars.firstIndex(where: { !isAllowed($0) }) {
            return "\(shown): character \(offending + 1) is not allowed; \(advice)"
        }
        let prefix = EnvironmentBinding.reservedEnvironmentPrefix
        if name.hasPrefix(prefix) {
            return "'\(name)' is reserved: variables starting with \(prefix) are set by the runner itself "
                + "(e.g. JOBRUNNER_JOB_ID, JOBRUNNER_SECRETS_DIR); choose another name"
        }
        return nil
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": return true
        default: return false
        }
    }
}
