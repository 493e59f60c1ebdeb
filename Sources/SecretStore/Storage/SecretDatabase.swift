import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The SQLite file behind the store: WAL mode, a busy timeout so several processes can write at once,
/// synchronous commits, and the schema's migrations.
struct SecretDatabase: Sendable {
    /// The database file's name inside the data directory.
    static let fileName = "secrets.sqlite"

    /// How long a writer waits for another process's transaction before giving up.
    static let busyTimeout: TimeInterval = 60

    /// How much of the file the per-request lookups map instead of reading it with read(2): all of it, up to
    /// 256 MiB.
    static let readerMmapSize = 268_435_456

    /// Every write, lists and rotation batches: a pool for the server, one connection for one-shot commands
    /// (opened on first use when the schema is current, see ``DeferredDatabaseWriter``).
    var writer: any DatabaseWriter {
        get throws { try deferredWriter.writer() }
    }
    private let deferredWriter: DeferredDatabaseWriter
    let path: String
    /// Connections for the per-request single-statement lookups.
    let hot: HotReaders

    /// The writer if it was opened, for closing without opening it.
    var openedWriter: (any DatabaseWriter)? { deferredWriter.openedWriter }

    /// Opens (creating when needed, mode 0600) and migrates the database at `path`, with the GRDB connections
    /// that `connections` asks for.
    init(path: String, connections: SecretStoreConnections = .pool) throws {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SecretStoreError.storage("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "secrets"
        // Lists and rotation batches are the only pool reads; per-request lookups use `hot`.
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            // The pool's connections never map the file: only `hot`'s first connection does (see HotReaders),
            // because each mapping counts the pages it touched in the process's resident memory again, and one
            // list or rotation would otherwise map the whole file a second time. The writer keeps a larger
            // private cache for the pages it changes.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -8192")
            }
        }
        do {
            // A created or changed secret must survive a power cut once the command has said so.
            let setUp: @Sendable (Database) throws -> Void = { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            switch connections {
            case .pool:
                deferredWriter = DeferredDatabaseWriter(
                    try DatabasePool.openMigrated(
                        path: path, configuration: configuration, migrator: Self.migrator,
                        waitingAtMost: Self.busyTimeout, setUp: setUp))
                // A server looks secrets up on every core at once.
                hot = try HotReaders(
                    path: path, busyTimeout: Self.busyTimeout, mmapSize: Self.readerMmapSize,
                    count: ProcessInfo.processInfo.activeProcessorCount)
            case .single:
                // One lookup at a time; asking for the processor count would read cgroup files (a third of a
                // millisecond of an entrypoint's start).
                let openWriter = { [configuration] () throws -> any DatabaseWriter in
                    try DatabaseQueue.openMigrated(
                        path: path, configuration: configuration, migrator: Self.migrator,
                        waitingAtMost: Self.busyTimeout, setUp: setUp)
                }
                if let current = Self.lookupsOnCurrentSchema(path: path) {
                    hot = current
                    deferredWriter = DeferredDatabaseWriter(opening: openWriter)
                } else {
                    // A new or older database: create or migrate it first, then look up.
                    deferredWriter = DeferredDatabaseWriter(try openWriter())
                    hot = try HotReaders(
                        path: path, busyTimeout: Self.busyTimeout, mmapSize: Self.readerMmapSize, count: 1)
                }
            }
        } catch let error as DatabaseError {
            throw SecretStoreError.storage("cannot open \(path): \(error.message ?? "SQLite error \(error.resultCode)")")
        }
    }

    /// One lookup connection to the database at `path` when every migration of ``migrator`` is applied there;
    /// nil when it cannot be opened that way (a new file has no tables yet, an older one lacks a migration).
    private static func lookupsOnCurrentSchema(path: String) -> HotReaders? {
        guard let hot = try? HotReaders(path: path, busyTimeout: busyTimeout, mmapSize: readerMmapSize, count: 1) else {
            return nil
        }
        guard let applied = try? hot.appliedMigrations(), migrator.migrations.allSatisfy(applied.contains) else {
            hot.close()
            return nil
        }
        return hot
    }

    /// The schema, one named step per change; never edit a step once released, add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: workspaces and secrets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workspace (
                        name TEXT PRIMARY KEY NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE secret (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        workspace TEXT NOT NULL REFERENCES workspace(name) ON DELETE RESTRICT,
                        name TEXT NOT NULL,
                        description TEXT,
                        sealed_value BLOB NOT NULL,
                        wrapped_data_key BLOB NOT NULL,
                        key_provider TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        UNIQUE (workspace, name)
                    );
                    CREATE INDEX secret_by_age ON secret (workspace, created_at DESC, id DESC);
                    """)
            try db.execute(
                sql: "INSERT INTO workspace (name, created_at) VALUES (?, ?)",
                arguments: [WorkspaceName.default.rawValue, Timestamp.now().microsecondsSinceEpoch])
        }
        migrator.registerMigration("v2: principals, access tokens and role bindings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE principal (
                        name TEXT PRIMARY KEY NOT NULL,
                        is_service INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE access_token (
                        selector TEXT PRIMARY KEY NOT NULL,
                        principal TEXT NOT NULL REFERENCES principal(name) ON DELETE CASCADE,
                        verifier_hash BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE INDEX access_token_by_principal ON access_token (principal);
                    CREATE TABLE role_binding (
                        principal TEXT NOT NULL,
                        workspace TEXT NOT NULL,
                        role TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (principal, workspace)
                    );
                    """)
        }
        return migrator
    }
}

extension DatabaseError {
    /// True when the error is a UNIQUE constraint violation.
    var isUniqueViolation: Bool {
        extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }
}

/// Runs `body`, turning database failures into store errors that never show SQL or its arguments.
func withStorageErrors<Result>(_ action: @autoclosure () -> String, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as DatabaseError {
        throw SecretStoreError.storage("cannot \(action()): \(error.message ?? "SQLite error \(error.resultCode)")")
    }
}
