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
        try openMigratedDatabase(
            path: path, configuration: configuration, migrator: migrator, waitingAtMost: timeout, setUp: setUp,
            open: DatabasePool.init(path:configuration:))
    }
}

extension DatabaseQueue {
    /// Opens one connection at `path` in WAL mode, runs `setUp` on it, and brings the schema up to date, with the
    /// same retries as ``DatabasePool/openMigrated(path:configuration:migrator:waitingAtMost:setUp:)``.
    ///
    /// For databases a process only uses from one task at a time: a queue opens one connection where a pool
    /// opens a writer, readers on demand and checks its log file through Foundation, which together cost a
    /// short-lived command such as `jobrunner exec` about a millisecond. Other processes still read while this
    /// one writes, because the file is in WAL mode.
    public static func openMigrated(
        path: String, configuration: Configuration, migrator: DatabaseMigrator, waitingAtMost timeout: TimeInterval,
        setUp: (Database) throws -> Void = { _ in }
    ) throws -> DatabaseQueue {
        try openMigratedDatabase(
            path: path, configuration: configuration, migrator: migrator, waitingAtMost: timeout,
            setUp: { db in
                // Persistent in the file: a no-op read once set, a write lock only the first time.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try setUp(db)
            },
            open: DatabaseQueue.init(path:configuration:))
    }
}

/// The open, set-up and migration loop both kinds of database share.
private func openMigratedDatabase<Writer: DatabaseWriter>(
    path: String, configuration: Configuration, migrator: DatabaseMigrator, waitingAtMost timeout: TimeInterval,
    setUp: (Database) throws -> Void, open: (String, Configuration) throws -> Writer
) throws -> Writer {
    let deadline = Date().addingTimeInterval(timeout)
    var failedMigrations = 0
    while true {
        do {
            let writer = try open(path, configuration)
            try writer.writeWithoutTransaction(setUp)
            // Checked on the writer, which is open already: a reader would be one more connection to open, and
            // `jobrunner exec` pays for every one.
            if try !writer.writeWithoutTransaction(migrator.hasCompletedMigrations) {
                try migrator.migrate(writer)
            }
            return writer
        } catch let error as DatabaseError where Date() < deadline && error.isTransientOpenFailure(&failedMigrations) {
            usleep(useconds_t.random(in: 2_000...20_000))
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
