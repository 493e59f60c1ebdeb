import ArgumentParser
import Foundation
import SecretStore
import SecretsServer

/// `jobrunner serve`: the secrets HTTP API that the NeMo Platform SDK and remote job runners use.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the /apis/secrets/v2 HTTP API over the local store.",
        discussion: """
            Callers authenticate with 'Authorization: Bearer <token>' (see 'jobrunner auth'). Example:

              jobrunner auth token create --principal admin      # prints the token once
              jobrunner auth grant admin PlatformAdmin
              jobrunner serve --port 8080

            from nemo_platform import NeMoPlatform
            client = NeMoPlatform(base_url="http://127.0.0.1:8080", access_token=TOKEN, workspace="default")

            SIGTERM or SIGINT stops it gracefully: requests in flight finish, then the database closes. Each \
            request is logged as one line (method, path, status, duration, principal). GET /health answers \
            without credentials once the server is ready.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to listen on. Anything but loopback needs authentication.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one (the log line says which).")
    var port: Int = 8080

    @Option(help: "Require bearer tokens (enabled) or treat every caller as a platform admin (disabled, loopback only).")
    var auth: SecretsServerConfiguration.Authentication = .enabled

    @Flag(
        name: .customLong("trust-principal-headers"),
        help: "Take the caller from X-NMP-Principal-Id (set by the platform gateway) instead of a token.")
    var trustPrincipalHeaders = false

    @Flag(
        name: .customLong("allow-trusted-headers-off-loopback"),
        help: "Allow --trust-principal-headers on a non-loopback address (only behind a gateway that strips them).")
    var allowTrustedHeadersOffLoopback = false

    func run() async throws {
        let configuration = SecretsServerConfiguration(
            host: host, port: port, authentication: auth, trustPrincipalHeaders: trustPrincipalHeaders,
            allowTrustedHeadersOffLoopback: allowTrustedHeadersOffLoopback)
        do {
            try configuration.validate()
        } catch let error as ServeConfigurationError {
            throw ValidationError(error.description)
        }
        // Before anything else runs: requests are then handled on the thread that read them, with no hop to
        // the default thread pool and back. Only another executor installed first would keep this from working;
        // the start line says where tasks run.
        let tasksOnEventLoops = SecretsServer.runTasksOnEventLoops()
        let secretStore = try store.openStore()
        let logger = CommandLineLog.logger
        let application = try SecretsServer.makeApplication(
            store: secretStore, configuration: configuration, logger: logger,
            onRunning: { port in
                logger.info(
                    "Serving the secrets API on http://\(configuration.host):\(port)",
                    metadata: [
                        "auth": "\(configuration.authentication.rawValue)",
                        "tasks": "\(tasksOnEventLoops ? "event loops" : "default executor")",
                    ])
            })
        try await application.runService()
        try secretStore.close()
        logger.info("Stopped; the database is closed")
    }
}

extension SecretsServerConfiguration.Authentication: ExpressibleByArgument {}
