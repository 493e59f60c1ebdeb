import Foundation
import Jobs
import SecretStore

/// Where the store lives, as the command line gave it: `--data-dir` and `--config`, unset when not given.
///
/// A plain value, apart from the ArgumentParser wrapper ``StoreOptions``, so that the `exec` fast path
/// (``ExecFastPath``) builds the same thing ArgumentParser does and both run through one code path.
struct StoreLocation: Equatable, Sendable {
    var dataDirectory: String?
    var configFile: String?

    /// Opens the store this location points at, logging warnings to standard error.
    func openStore(
        environment: [String: String] = ProcessInfo.processInfo.environment, connections: SecretStoreConnections = .pool
    ) throws -> SecretStore {
        try SecretStore.open(
            settings: settings(environment: environment), environment: environment, logger: CommandLineLog.logger,
            connections: connections)
    }

    /// The data directory and config file this location and the environment point at.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreSettings {
        try StoreSettings.resolve(dataDirectory: dataDirectory, configFile: configFile, environment: environment)
    }

    /// Opens the job records (`DATA_DIR/jobs.sqlite`), which need no keys.
    func openRecords() throws -> JobRecordStore {
        try JobRecordStore(dataDirectory: settings().dataDirectory)
    }
}
