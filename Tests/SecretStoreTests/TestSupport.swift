@preconcurrency import Crypto
import Foundation
import Logging
import SecretStore

/// A fresh directory under the system temp dir, removed when the test's scope ends.
final class TemporaryDirectory {
    let path: String

    init() {
        let template = NSTemporaryDirectory() + "secretstore-tests-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { fatalError("mkdtemp failed") }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// A key provider with random key material, as an operator would configure one.
func makeProvider(_ name: String, key: SymmetricKey = SymmetricKey(size: .bits256)) -> SecretKeyProvider {
    try! SecretKeyProvider(name: name, keyMaterial: key)
}

/// A store over `directory`'s database file with the given current provider and extra decrypt-only providers.
func makeStore(
    in directory: TemporaryDirectory, current: any KeyProvider, others: [any KeyProvider] = [],
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
) throws -> SecretStore {
    try SecretStore(
        databasePath: directory.file("secrets.sqlite"), keyRing: KeyRing(current: current, others: others),
        logger: logger)
}

/// Parses a reference, for brevity in tests.
func ref(_ text: String) -> SecretReference { try! SecretReference(parsing: text) }

/// Every byte of the database and its WAL/SHM companions, to look for plaintext in them.
func databaseBytes(in directory: TemporaryDirectory) -> Data {
    var all = Data()
    for suffix in ["", "-wal", "-shm"] {
        if let data = FileManager.default.contents(atPath: directory.file("secrets.sqlite" + suffix)) {
            all.append(data)
        }
    }
    return all
}

/// A log handler that keeps every message, to check what the store logs.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { recorded.append((event.level, "\(event.message) \(event.metadata ?? [:])")) }
    }

    var messages: [(level: Logger.Level, text: String)] { lock.withLock { recorded.map { ($0.0, $0.1) } } }
}

extension RecordingLogHandler {
    /// A logger that writes into this handler.
    var logger: Logger {
        let handler = self
        return Logger(label: "test", factory: { _ in handler })
    }
}
