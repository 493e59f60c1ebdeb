import Foundation
import GRDB
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Named secrets in workspaces, envelope-encrypted at rest in a SQLite file.
///
/// Every value gets its own data key (AES-256-GCM, bound to `workspace/name`), and the data key is wrapped by
/// the current ``KeyProvider``. Every write is one transaction; several processes may use the same file at once.
/// Methods throw ``SecretStoreError`` only.
public final class SecretStore: Sendable {
    let database: SecretDatabase
    let keyRing: KeyRing
    let logger: Logger
    let accessCache = AccessCache()

    /// The key ring in force, so callers can report which provider is current.
    public var currentProviderName: String { keyRing.current.name }

    /// Environment variables that hold key material; a job runner must not pass them on to children.
    public let keyEnvironmentVariables: Set<String>

    /// A store over the database file at `databasePath`, encrypting with `keyRing`.
    public init(
        databasePath: String, keyRing: KeyRing, keyEnvironmentVariables: Set<String> = [],
        logger: Logger = Logger(label: "jobrunner.secrets"), connections: SecretStoreConnections = .pool
    ) throws {
        self.database = try SecretDatabase(path: databasePath, connections: connections)
        self.keyRing = keyRing
        self.keyEnvironmentVariables = keyEnvironmentVariables
        self.logger = logger
    }

    /// Opens the store that `settings` describe: creates the data directory (0700), reads the config file's
    /// `secrets.encryption` section, or falls back to the development key with a warning.
    public static func open(
        settings: StoreSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "jobrunner.secrets"), connections: SecretStoreConnections = .pool
    ) throws -> SecretStore {
        try createPrivateDirectory(settings.dataDirectory)
        var configuration: EncryptionConfiguration?
        if let configFile = settings.configFile {
            guard let data = FileManager.default.contents(atPath: configFile) else {
                throw SecretStoreError.invalidConfiguration("cannot read the config file \(configFile)")
            }
            configuration = try EncryptionConfiguration.parse(
                yaml: String(decoding: data, as: UTF8.self), source: configFile, environment: environment)
        }

        let keyRing: KeyRing
        if let configuration {
            // Rows wrapped before providers were configured stay readable until a rotation moves them (unless
            // the configuration itself declares a provider named like the development key).
            let developmentKey = try DevelopmentKey.loadIfPresent(in: settings.dataDirectory)
            keyRing = configuration.keyRing.addingDecryptOnly(developmentKey.map { [$0] } ?? [])
        } else {
            let (developmentKey, created) = try DevelopmentKey.loadOrCreate(in: settings.dataDirectory)
            if created {
                logger.warning(
                    "Created a development encryption key in \(settings.dataDirectory)/\(DevelopmentKey.fileName)")
            }
            logger.warning(
                """
                No encryption provider is configured: secrets are encrypted with a local development key that is \
                for evaluation only. Configure secrets.encryption in a config file for real use.
                """)
            keyRing = KeyRing(current: developmentKey)
        }
        return try SecretStore(
            databasePath: (settings.dataDirectory as NSString).appendingPathComponent(SecretDatabase.fileName),
            keyRing: keyRing,
            keyEnvironmentVariables: configuration?.keyEnvironmentVariables ?? [],
            logger: logger, connections: connections)
    }

    /// Closes the database: waits for running statements, checkpoints the WAL, releases the file.
    public func close() throws {
        try withStorageErrors("close the database") {
            // Fold the WAL into the main file first: GRDB closes the writer before the readers, and a reader
            // cannot checkpoint, so without this a copy of secrets.sqlite alone would miss recent writes.
            database.hot.close()
            // A one-shot store that only looked values up never opened its writer, and has nothing to fold.
            guard let writer = database.openedWriter else { return }
            _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try writer.close()
        }
    }

    private static func createPrivateDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SecretStoreError.storage("the data directory \(path) is a file, not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SecretStoreError.storage("cannot create the data directory \(path): \(error.localizedDescription)")
        }
    }
}
