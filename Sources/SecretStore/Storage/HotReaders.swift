import Foundation
import GRDB

/// A few read-only connections for the single-statement lookups every request makes (token, roles, secret).
///
/// `DatabasePool` reads check out a reader and check the schema version on each access; for one indexed
/// lookup that overhead was most of the cost under load. One statement is atomic on its own, so these reads
/// need no transaction either.
final class HotReaders: @unchecked Sendable {
    private let connections: [DatabaseQueue]
    // Guarded by `lock`.
    private let lock = NSLock()
    private var next = 0

    /// `count` read-only connections to the database at `path`, configured like `configuration`.
    init(path: String, configuration: Configuration, count: Int) throws {
        var readOnly = configuration
        readOnly.readonly = true
        readOnly.label = "secrets.hot"
        connections = try (0..<count).map { _ in try DatabaseQueue(path: path, configuration: readOnly) }
    }

    /// Runs one read on the next connection in turn.
    func read<Result>(_ body: (Database) throws -> Result) throws -> Result {
        let connection = lock.withLock {
            next = (next + 1) % connections.count
            return connections[next]
        }
        return try connection.unsafeRead(body)
    }

    /// Closes every connection.
    func close() throws {
        for connection in connections { try connection.close() }
    }
}
