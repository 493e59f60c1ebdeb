/// The name of a secrets directory, `jobrunner-<runnerPID>-<runnerStartTime>-<random>`, which records the runner
/// that made it so a later runner can tell a leftover from a directory in use.
enum SecretDirectoryName {
    /// What every such name starts with.
    static let prefix = "jobrunner-"

    /// The `mkdtemp` template for a directory of `runner`; the six X's become random characters.
    static func template(for runner: RunnerIdentity) -> String {
        "\(prefix)\(runner.pid)-\(runner.startTime)-XXXXXX"
    }

    /// The runner recorded in `name`, or nil when the name is not one of ours.
    static func runner(recordedIn name: String) -> RunnerIdentity? {
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, let pid = Int32(parts[0]), pid > 0, let start = Int64(parts[1]) else {
            return nil
        }
        return RunnerIdentity(pid: pid, startTime: start)
    }
}
