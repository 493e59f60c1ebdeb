/// The environment a child starts from, before its step adds variables: the runner's own, minus what belongs to
/// the runner alone (its settings, service token and store keys), or a minimal clean one.
public enum ChildEnvironment {
    /// The prefix of the runner's settings and credentials (`JOBRUNNER_SERVICE_TOKEN`, `JOBRUNNER_DATA_DIR`, …),
    /// none of which a child inherits; the runner then sets `JOBRUNNER_JOB_ID` and friends itself.
    public static let runnerPrefix = "JOBRUNNER_"

    /// What `--clean-env` keeps of the runner's environment.
    public static let cleanVariables: Set<String> = ["PATH", "HOME", "LANG", "TZ"]

    /// Variables the runner reads for itself that carry references or settings, not the child's business.
    public static let runnerVariables: Set<String> = ["NEMO_JOB_SECRETS"]

    /// The inherited part of a child's environment, sorted by name.
    ///
    /// - Parameters:
    ///   - inherited: the runner's environment.
    ///   - clean: keep only ``cleanVariables``.
    ///   - privateVariables: more names to drop, such as the variables holding the store's encryption keys.
    public static func inherited(from inherited: [String: String], clean: Bool, privateVariables: Set<String>)
        -> [(String, String)]
    {
        inherited.filter { name, _ in
            if clean { return cleanVariables.contains(name) }
            return !name.hasPrefix(runnerPrefix) && !runnerVariables.contains(name) && !privateVariables.contains(name)
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
