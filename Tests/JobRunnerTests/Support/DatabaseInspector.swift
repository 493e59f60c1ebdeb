import Foundation
import GRDB

/// Looks at a sandbox's SQLite file directly, independently of the library under test.
///
/// The crash tests watch rotation progress through a read-only connection, as an operator's monitoring query
/// would, and a few tests alter rows the way an attacker or a bad disk would.
struct DatabaseInspector {
    let path: String

    /// How many rows of `secret` each `key_provider` holds, read through a read-only connection.
    func rowsByProvider() throws -> [String: Int] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key_provider, COUNT(*) AS n FROM secret GROUP BY key_provider") {
                counts[row["key_provider"]] = row["n"]
            }
            return counts
        }
    }

    /// Runs `sql` in one write transaction, e.g. to swap two rows' ciphertexts.
    func execute(_ sql: String, arguments: StatementArguments = []) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }
}

extension Sandbox {
    /// Direct access to this sandbox's database file.
    var database: DatabaseInspector {
        DatabaseInspector(path: dataDirectory.appendingPathComponent("secrets.sqlite").path)
    }
}
