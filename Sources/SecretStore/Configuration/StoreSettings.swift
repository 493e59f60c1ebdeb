import Foundation

/// Where the store keeps its files and which config file it reads, resolved the same way by every command.
///
/// Data directory: the explicit option, else `$JOBRUNNER_DATA_DIR`, else `~/.local/share/jobrunner`.
/// Config file: the explicit option, else `$JOBRUNNER_CONFIG`, else `DATA_DIR/config.yaml` when it exists.
public struct StoreSettings: Sendable, Equatable {
    /// The directory holding the database and, without configured providers, the development key.
    public let dataDirectory: String
    /// The config file to read, if any.
    public let configFile: String?

    /// Settings with both locations given explicitly.
    public init(dataDirectory: String, configFile: String?) {
        self.dataDirectory = dataDirectory
        self.configFile = configFile
    }

    /// Resolves both locations from explicit options and the environment; an explicit config file must exist.
    public static func resolve(dataDirectory: String?, configFile: String?, environment: [String: String]) throws
        -> StoreSettings
    {
        let directory: String
        if let dataDirectory, !dataDirectory.isEmpty {
            directory = dataDirectory
        } else if let fromEnvironment = environment["JOBRUNNER_DATA_DIR"], !fromEnvironment.isEmpty {
            directory = fromEnvironment
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            directory = (home as NSString).appendingPathComponent(".local/share/jobrunner")
        }

        if let explicit = configFile ?? environment["JOBRUNNER_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard FileManager.default.fileExists(atPath: explicit) else {
                let origin = configFile != nil ? "--config" : "JOBRUNNER_CONFIG"
                throw SecretStoreError.invalidConfiguration(
                    "the config file \(explicit) (from \(origin)) does not exist; fix the path or leave it unset")
            }
            return StoreSettings(dataDirectory: directory, configFile: explicit)
        }
        let implicit = (directory as NSString).appendingPathComponent("config.yaml")
        return StoreSettings(
            dataDirectory: directory,
            configFile: FileManager.default.fileExists(atPath: implicit) ? implicit : nil)
    }
}
