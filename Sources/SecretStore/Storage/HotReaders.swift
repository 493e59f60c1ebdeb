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
        // Used only while `lock` is held.
        let connection: SQLiteReadConnection

        init(_ connection: SQLiteReadConnection) {
            self.connection = connection
        }

        /// Waits for the lock; for when every connection is busy.
        func locked() -> Slot {
            lock.lock()
            return self
        }
    }

    /// `count` read-only connections to the database at `path` (at least one); the first maps `mmapSize` bytes.
    init(path: String, busyTimeout: TimeInterval, mmapSize: Int, count: Int) throws {
        slots = try (0..<max(1, count)).map { index in
            Slot(try Self.open(path: path, busyTimeout: busyTimeout, mmapSize: index == 0 ? mmapSize : 0))
        }
    }

    /// Opens one connection, retrying while another process holds a lock that SQLite reports without calling the
    /// busy handler: a read-only connection that meets a WAL recovery or a checkpoint in progress while loading the
    /// schema gets SQLITE_BUSY at once (seen with processes opening a new data directory together).
    private static func open(path: String, busyTimeout: TimeInterval, mmapSize: Int) throws -> SQLiteReadConnection {
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
        return try slot.connection.read(query, first, second, body)
    }

    /// Closes every connection, once the reads running on them are done.
    func close() {
        for slot in slots {
            slot.lock.withLock { slot.connection.close() }
        }
    }
}
