import Foundation
import GRDB

extension DatabasePool {
    /// Opens the pool at `path`, runs `setUp` on its writer, and brings the schema up to date, starting over while
    /// another process holds a lock that SQLite reports without waiting on the busy handler.
    ///
    /// Processes that open a new (or just closed) file together race in places where SQLite answers SQLITE_BUSY at
    /// once instead of waiting: GRDB's set-up of WAL mode writes in a deferred transaction, and a deferred
    /// transaction cannot take the write lock once another process has committed since it began. Two processes
    /// can also both try the first migration; the loser's SQLITE_ERROR is retried the same way, and the retry finds
    /// it applied. Reading first keeps the common case, a schema already current, free of a write transaction.
    /// `setUp` must be idempotent.
    public static func openMigrated(
        path: String, configuration: Configuration, migrator: DatabaseMigrator, waitingAtMost timeout: TimeInterval,
        setUp: (Database) throws -> Void = { _ in }
    ) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(timeout)
        var failedMigrations = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try pool.writeWithoutTransaction(setUp)
                if try !pool.read(migrator.hasCompletedMigrations) {
                    try migrator.migrate(pool)
                }
                return pool
            } catch let error as DatabaseError where Date() < deadline && error.isTransientOpenFailure(&failedMigrations) {
                usleep(useconds_t.random(in: 2_000...20_000))
            }
        }
    }
}

extension DatabaseError {
    /// True for the failures ``DatabasePool/openMigrated(path:configuration:migrator:waitingAtMost:setUp:)`` waits
    /// out: locks held by another process, and (twice at most) a migration another process applied first.
    fileprivate func isTransientOpenFailure(_ failedMigrations: inout Int) -> Bool {
        switch resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return true
        case .SQLITE_ERROR:
            failedMigrations += 1
            return failedMigrations <= 2
        default:
            return false
        }
    }
}
