/// The rule for the names of variables a spec sets: `[A-Za-z_][A-Za-z0-9_]*` (what every shell and runtime
/// accepts), and nothing in the runner's own ``EnvironmentBinding/reservedEnvironmentPrefix``.
enum EnvironmentNameRule {
    /// Why `name` cannot be set by a spec, or `nil` when it can.
    static func problem(with name: String) -> String? {
        let prefix = EnvironmentBinding.reservedEnvironmentPrefix
        if let reason = characterProblem(name) {
            return "invalid environment variable name '\(name.escapedForSpecMessage)': \(reason)"
        }
        if name.hasPrefix(prefix) {
            return "'\(name)' is reserved: variables starting with \(prefix) are set by the runner itself "
                + "(e.g. JOBRUNNER_JOB_ID, JOBRUNNER_SECRETS_DIR); choose another name"
        }
        return nil
    }

    /// What is wrong with the characters of `name`. The message's quoted name is only built for a name that has
    /// a problem: `exec` checks every name before each job starts.
    private static func characterProblem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        let advice = "use ASCII letters, digits and '_', not starting with a digit, e.g. HF_TOKEN"
        guard let first = scalars.first else { return "it is empty; \(advice)" }
        if case "0"..."9" = first { return "it starts with a digit; \(advice)" }
        if let offending = scalars.firstIndex(where: { !isAllowed($0) }) {
            return "character \(offending + 1) is not allowed; \(advice)"
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
