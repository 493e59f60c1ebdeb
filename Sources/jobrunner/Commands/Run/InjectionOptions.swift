import ArgumentParser
import Foundation
import Injector
import Jobs
import SecretStore

#if canImport(Glibc)
    import Glibc
#endif

/// The options `run` and `exec` share: where secrets come from and how they reach the child.
struct InjectionOptions: ParsableArguments {
    @Option(
        name: .customLong("secrets-url"),
        help: ArgumentHelp(
            "Resolve secrets from this secrets service (default: $JOBRUNNER_SECRETS_URL) instead of the local store.",
            valueName: "url"))
    var secretsURL: String?

    @Option(
        name: .customLong("service-token-file"),
        help: ArgumentHelp(
            "File holding the runner's service token for --secrets-url (default: $JOBRUNNER_SERVICE_TOKEN_FILE).",
            valueName: "path"))
    var serviceTokenFile: String?

    @Option(
        help: ArgumentHelp(
            "The user the job runs for; the service checks that this user may read each secret "
                + "(default: $JOBRUNNER_OWNER).",
            valueName: "user"))
    var owner: String?

    @Flag(
        name: .customLong("allow-cross-workspace"),
        help: "Embedded store only: let the job read secrets of workspaces other than its own.")
    var allowCrossWorkspace = false

    @Flag(name: .customLong("clean-env"), help: "Start the child from PATH, HOME, LANG and TZ only.")
    var cleanEnvironment = false

    @Flag(name: .customLong("no-masking"), help: "Do not replace secret values in the output with ****.")
    var noMasking = false

    @Option(
        name: .customLong("mask-min-length"),
        help: ArgumentHelp("Values shorter than this many bytes are not masked (with a warning).", valueName: "n"))
    var maskMinimumLength: Int = OutputMasker.defaultMinimumLength

    @Option(help: ArgumentHelp("Where secret files live: auto (a private namespace, else /dev/shm), namespace, shared-memory."))
    var isolation: IsolationChoice = .auto

    @Option(help: ArgumentHelp("Give the child pseudo-terminals: auto (when standard output is a terminal), always, never."))
    var tty: TerminalChoice = .auto

    @Option(
        name: .customLong("kill-grace"),
        help: ArgumentHelp("Seconds between SIGTERM and SIGKILL when a step times out.", valueName: "s"))
    var killGrace: Int = 10

    /// The plain value behind these options.
    var choices: InjectionChoices {
        InjectionChoices(
            secretsURL: secretsURL, serviceTokenFile: serviceTokenFile, owner: owner,
            allowCrossWorkspace: allowCrossWorkspace, cleanEnvironment: cleanEnvironment, noMasking: noMasking,
            maskMinimumLength: maskMinimumLength, isolation: isolation, tty: tty, killGrace: killGrace)
    }

    func validate() throws {
        try choices.validate()
    }
}

/// `--isolation`: where secret files live.
enum IsolationChoice: String, ExpressibleByArgument, CaseIterable {
    case auto
    case namespace
    case sharedMemory = "shared-memory"

    var preference: IsolationPreference {
        switch self {
        case .auto: .automatic
        case .namespace: .namespace
        case .sharedMemory: .sharedMemory
        }
    }
}

/// `--tty`: whether the child gets pseudo-terminals.
enum TerminalChoice: String, ExpressibleByArgument, CaseIterable {
    case auto
    case always
    case never
}
