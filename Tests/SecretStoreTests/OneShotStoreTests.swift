import Foundation
import GRDB
import Logging
import SecretStore
import Testing

/// A one-shot store (`connections: .single`, what `run` and `exec` open) looks values up without opening its GRDB
/// writer when the schema is current, opens the writer on the first write, and still creates or migrates a database
/// that needs it before any lookup.
struct OneShotStoreTests {
    /// How many of this process's descriptors are open on the file at `path` itself (not its -wal or -shm): one per
    /// SQLite connection.
    static func connections(to path: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path }
            .count
    }

    static func oneShotStore(in directory: TemporaryDirectory, current provider: any KeyProvider) throws -> SecretStore {
        try SecretStore(
            databasePath: directory.file("secrets.sqlite"), keyRing: KeyRing(current: provider),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), connections: .single)
    }

    /// Creates the database in `directory` with one secret, through an ordinary store that is closed again.
    static func closedDatabase(
        in directory: TemporaryDirectory, current provider: any KeyProvider, holding reference: String, _ value: String
    ) throws {
        let setUp = try makeStore(in: directory, current: provider)
        try setUp.createSecret(ref(reference), value: SecretValue(value))
        try setUp.close()
    }

    @Test func lookupsOnACurrentDatabaseUseOneConnectionAndTheFirstWriteOpensTheWriter() throws {
        let directory = TemporaryDirectory()
        let provider = makeProvider("p1")
        let path = directory.file("secrets.sqlite")
        try Self.closedDatabase(in: directory, current: provider, holding: "default/alpha", "alpha-value-1")

        let store = try Self.oneShotStore(in: directory, current: provider)
        #expect(Self.connections(to: path) == 1, "only the lookup connection is open")
        #expect(try store.accessSecret(ref("default/alpha")).revealedString() == "alpha-value-1")
        #expect(throws: SecretStoreError.secretNotFound(ref("default/missing"))) {
            try store.accessSecret(ref("default/missing"))
        }
        #expect(Self.connections(to: path) == 1)

        try store.createSecret(ref("default/beta"), value: SecretValue("beta-value-2"))
        #expect(Self.connections(to: path) == 2, "the write opened the writer")
        #expect(try store.accessSecret(ref("default/beta")).revealedString() == "beta-value-2")
        try store.close()
        #expect(Self.connections(to: path) == 0)

        let reopened = try makeStore(in: directory, current: provider)
        #expect(try reopened.accessSecret(ref("default/beta")).revealedString() == "beta-value-2")
        try reopened.close()
    }

    @Test func aOneShotStoreCreatesANewDatabase() throws {
        let directory = TemporaryDirectory()
        let provider = makeProvider("p1")
        let store = try Self.oneShotStore(in: directory, current: provider)
        #expect(Self.connections(to: directory.file("secrets.sqlite")) == 2, "created and migrated by the writer")
        #expect(throws: SecretStoreError.secretNotFound(ref("default/anything"))) {
            try store.accessSecret(ref("default/anything"))
        }
        try store.createSecret(ref("default/new"), value: SecretValue("new-value-3"))
        #expect(try store.accessSecret(ref("default/new")).revealedString() == "new-value-3")
        try store.close()
    }

    @Test func anOlderDatabaseIsMigratedBeforeAnyLookup() throws {
        let directory = TemporaryDirectory()
        let provider = makeProvider("p1")
        let path = directory.file("secrets.sqlite")
        try Self.closedDatabase(in: directory, current: provider, holding: "default/kept", "kept-value-4")
        // Back to the first schema: the tables of the second migration and its record are gone.
        let queue = try DatabaseQueue(path: path)
        let second = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { $0.hasPrefix("v2") }
        }
        #expect(second.count == 1)
        try queue.write { db in
            try db.execute(sql: "DROP TABLE role_binding; DROP TABLE access_token; DROP TABLE principal")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%'")
        }
        try queue.close()

        let store = try Self.oneShotStore(in: directory, current: provider)
        #expect(Self.connections(to: path) == 2, "the writer opened at once, to migrate")
        #expect(try store.accessSecret(ref("default/kept")).revealedString() == "kept-value-4")
        try store.grant(.platformAdmin, to: "root", in: nil)
        try store.close()
        let check = try DatabaseQueue(path: path)
        #expect(try check.read { try $0.tableExists("role_binding") && $0.tableExists("access_token") })
        try check.close()
    }
}
