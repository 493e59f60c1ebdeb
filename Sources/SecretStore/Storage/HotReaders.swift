import Foundation
import GRDB

/// The read-only connections for the single-statement lookups every request makes (token, roles, secret).
///
/// A lookup takes the first connection that no other thread is using, so the first one does nearly all the
/// work and no lookup ever waits while another runs. Only that first connection maps the file: every mapping
/// counts the pages it touched in the process's resident memory again, and a lookup on a mapped file costs no
/// read(2) calls, so one mapping gets the speed at the memory cost of one copy; the spares read through a small
/// page cache of their own. One statement is atomic on its own, so these reads need no transaction either.
final class HotReaders: @unchecked Sendable {
    private let slots: [Slot]

    /// One connection and the lock that lends it to one thread at a time.
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        private let path: String
        private let busyTimeout: TimeInterval
        private let mmapSize: Int
        // Used only while `lock` is held: opened on first use, so a command that reads a few rows (such as
        // `jobrunner exec`) opens one connection, while the server opens the spares when requests overlap.
        private var opened: SQLiteReadConnection?
        private var isClosed = false

        init(path: String, busyTimeout: TimeInterval, mmapSize: Int) {
            self.path = path
            self.busyTimeout = busyTimeout
            self.mmapSize = mmapSize
        }

        /// The slot's connection, opened now if this is its first use; call with `lock` held.
        func connection() throws -> SQLiteReadConnection {
            if let opened { return opened }
            if isClosed { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed") }
            let connection = try HotReaders.open(path: path, busyTimeout: busyTimeout, mmapSize: mmapSize)
            opened = connection
            return connection
        }

        /// Closes the connection if it was ever opened, and refuses to open one from now on; call with `lock`
        /// held.
        func close() {
            opened?.close()
            isClosed = true
        }

        /// Waits for the lock; for when every connection is busy.
        func locked() -> Slot {
            lock.lock()
            return self
        }
    }

    /// `count` read-only connections to the database at `path` (at least one); the first maps `mmapSize` bytes.
    /// The first is opened at once, so a database that cannot be read fails here; the others on first use.
    init(path: String, busyTimeout: TimeInterval, mmapSize: Int, count: Int) throws {
        slots = (0..<max(1, count)).map { index in
            Slot(path: path, busyTimeout: busyTimeout, mmapSize: index == 0 ? mmapSize : 0)
        }
        try slots[0].lock.withLock { _ = try slots[0].connection() }
    }

    /// Opens one connection, retrying while another process holds a lock that SQLite reports without calling the
    /// busy handler: a read-only connection that meets a WAL recovery or a checkpoint in progress while loading the
    /// schema gets SQLITE_BUSY at once (seen with processes opening a new data directory together).
    fileprivate static func open(path: String, busyTimeout: TimeInterval, mmapSize: Int) throws -> SQLiteReadConnection {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try SQLiteReadConnection(path: path, busyTimeout: busyTimeout, mmapSize: mmapSize)
            } catch let error as DatabaseError
                where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode.primaryResultCode) && Date() < deadline
            {
                usleep(5_000)
            }
        }
    }

    /// Runs `query` on a free connection and hands its rows to `body`.
    func read<Result>(
        _ query: HotQuery, _ first: String, _ second: String? = nil, _ body: (inout SQLiteRows) throws -> Result
    ) throws -> Result {
        let slot = slots.first(where: { $0.lock.try() }) ?? slots[0].locked()
        defer { slot.lock.unlock() }
        return try slot.connection().read(query, first, second, body)
    }

    /// The identifiers of the schema migrations applied to the database (GRDB's `grdb_migrations` table).
    func appliedMigrations() throws -> Set<String> {
        try slots[0].lock.withLock { try slots[0].connection().appliedMigrations() }
    }

    /// Closes every connection, once the reads running on them are done.
    func close() {
        for slot in slots {
            slot.lock.withLock { slot.close() }
        }
    }
}
