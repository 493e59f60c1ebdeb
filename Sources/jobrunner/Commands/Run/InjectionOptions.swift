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

    func validate() throws {
        guard maskMinimumLength >= 1 else { throw ValidationError("--mask-min-length must be at least 1") }
        guard killGrace >= 0 else { throw ValidationError("--kill-grace must be 0 or more seconds") }
    }

    /// Settings for the executor: the resolver for this mode, and the injection choices.
    func settings(store: StoreOptions, workspace: WorkspaceName) throws -> JobRunSettings {
        let environment = ProcessInfo.processInfo.environment
        let dataDirectory = try store.settings().dataDirectory
        let resolver: any SecretResolver
        var privateVariables: Set<String> = []
        var owner = self.owner ?? environment["JOBRUNNER_OWNER"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = secretsURL ?? environment["JOBRUNNER_SECRETS_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let tokenPath = serviceTokenFile ?? environment["JOBRUNNER_SERVICE_TOKEN_FILE"] else {
                throw ValidationError("--secrets-url needs --service-token-file (or $JOBRUNNER_SERVICE_TOKEN_FILE)")
            }
            guard let user = owner else {
                throw ValidationError(
                    "--secrets-url needs --owner (or $JOBRUNNER_OWNER): the user on whose behalf secrets are read")
            }
            let token = try SecretValue.read(fromPath: tokenPath)
            resolver = RemoteSecretResolver(serviceURL: url, serviceToken: token, owner: user)
            owner = user
        } else {
            let secrets = try store.openStore()
            privateVariables = secrets.keyEnvironmentVariables
            resolver = EmbeddedSecretResolver(
                store: secrets, jobWorkspace: workspace, allowCrossWorkspace: allowCrossWorkspace)
        }
        var settings = JobRunSettings(dataDirectory: dataDirectory, resolver: resolver, environment: environment)
        settings.owner = owner
        settings.cleanEnvironment = cleanEnvironment
        settings.privateVariables = privateVariables
        settings.masking = !noMasking
        settings.maskingMinimumLength = maskMinimumLength
        settings.isolation = isolation.preference
        settings.pseudoTerminals = tty == .always || (tty == .auto && isatty(STDOUT_FILENO) == 1)
        settings.killGrace = .seconds(killGrace)
        return settings
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
