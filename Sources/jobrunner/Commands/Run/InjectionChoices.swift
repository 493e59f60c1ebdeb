import ArgumentParser
import Foundation
import Injector
import Jobs
import SecretStore

#if canImport(Glibc)
    import Glibc
#endif

/// How `run` and `exec` resolve and inject secrets, as the command line gave it (see ``InjectionOptions`` for
/// each option's meaning).
///
/// A plain value, apart from the ArgumentParser wrapper, so that the `exec` fast path (``ExecFastPath``) builds
/// the same thing ArgumentParser does and both run through one code path.
struct InjectionChoices: Equatable, Sendable {
    var secretsURL: String?
    var serviceTokenFile: String?
    var owner: String?
    var allowCrossWorkspace = false
    var cleanEnvironment = false
    var noMasking = false
    var maskMinimumLength = OutputMasker.defaultMinimumLength
    var isolation: IsolationChoice = .auto
    var tty: TerminalChoice = .auto
    var killGrace = 10

    /// The checks ArgumentParser runs after parsing (`InjectionOptions.validate()`).
    func validate() throws {
        guard maskMinimumLength >= 1 else { throw ValidationError("--mask-min-length must be at least 1") }
        guard killGrace >= 0 else { throw ValidationError("--kill-grace must be 0 or more seconds") }
    }

    /// Settings for the executor: the resolver for this mode, and the injection choices.
    func settings(
        store: StoreLocation, workspace: WorkspaceName, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> JobRunSettings {
        let dataDirectory = try store.settings(environment: environment).dataDirectory
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
            // The runner only looks values up (on the store's own read connection): one GRDB connection will do.
            let secrets = try store.openStore(environment: environment, connections: .single)
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

