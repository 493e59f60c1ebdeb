import ArgumentParser
import Foundation
import Jobs
import Logging
import SecretStore

/// The options every store command shares: where the data lives and which config file holds the keys.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Directory holding the secret database (default: $JOBRUNNER_DATA_DIR, else ~/.local/share/jobrunner).",
            valueName: "dir"))
    var dataDirectory: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "YAML config with secrets.encryption (default: $JOBRUNNER_CONFIG, else DATA_DIR/config.yaml if present).",
            valueName: "file"))
    var configFile: String?

    /// Opens the store these options point at, logging warnings to standard error.
    func openStore() throws -> SecretStore {
        let environment = ProcessInfo.processInfo.environment
        return try SecretStore.open(settings: settings(), environment: environment, logger: CommandLineLog.logger)
    }

    /// The data directory and config file these options and the environment point at.
    func settings() throws -> StoreSettings {
        try StoreSettings.resolve(
            dataDirectory: dataDirectory, configFile: configFile, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the job records (`DATA_DIR/jobs.sqlite`), which need no keys.
    func openRecords() throws -> JobRecordStore {
        try JobRecordStore(dataDirectory: settings().dataDirectory)
    }
}

/// Human or machine output, as `--output table|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
