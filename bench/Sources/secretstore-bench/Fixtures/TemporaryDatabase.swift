import Foundation
import SecretStore

/// A fresh database file in its own temporary directory, removed with its WAL and shared-memory files when
/// the scenario is done, so that no scenario sees rows or cache state from another.
final class TemporaryDatabase {
    /// The SQLite file's path; it does not exist until the first store opens it.
    let path: String
    private let directory: String

    /// A new, empty directory under `parent`.
    init(under parent: String) throws {
        var template = Array((parent as NSString).appendingPathComponent("secretstore-bench-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchmarkFailure("cannot create a temporary directory under \(parent): \(String(cString: strerror(errno)))")
        }
        directory = String(cString: created)
        path = (directory as NSString).appendingPathComponent("secrets.sqlite")
    }

    /// A store on this file with `keyRing`; several may be open on the same file at once.
    func openStore(keyRing: KeyRing) throws -> SecretStore {
        try SecretStore(databasePath: path, keyRing: keyRing)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
