import ArgumentParser
import Foundation
import Jobs
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

    /// The plain value behind these options.
    var location: StoreLocation { StoreLocation(dataDirectory: dataDirectory, configFile: configFile) }

    /// Opens the store these options point at, logging warnings to standard error.
    func openStore() throws -> SecretStore { try location.openStore() }

    /// The data directory and config file these options and the environment point at.
    func settings() throws -> StoreSettings { try location.settings() }

    /// Opens the job records (`DATA_DIR/jobs.sqlite`), which need no keys.
    func openRecords() throws -> JobRecordStore { try location.openRecords() }
}

/// Human or machine output, as `--output table|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
