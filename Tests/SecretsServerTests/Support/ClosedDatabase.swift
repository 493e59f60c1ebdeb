import Foundation
import SecretStore

/// What a closed store left on disk, judged the way a backup or a copy would see it: the database file alone,
/// without its `-wal` companion.
///
/// A store closed cleanly has checkpointed its write-ahead log into the main file, so a copy of that file
/// holds every secret; if writes still sit only in the WAL, the copy misses them.
enum ClosedDatabase {
    /// The secrets' metadata and key providers as the main database file alone records them.
    static func mainFileContents(in dataDirectory: String) throws -> (secrets: [String], providers: [String: Int]) {
        let copy = TemporaryDirectory()
        try FileManager.default.copyItem(
            atPath: (dataDirectory as NSString).appendingPathComponent("secrets.sqlite"), toPath: copy.file("secrets.sqlite"))
        // Metadata and provider counts need no key; opening the copy makes a throwaway development key.
        let store = try openStore(copy.path)
        defer { try? store.close() }
        var secrets: [String] = []
        for workspace in try store.listWorkspaces() {
            let page = try store.listSecrets(in: WorkspaceName(workspace.name), page: PageRequest(page: 1, pageSize: 100_000))
            secrets += page.data.map { "\($0.reference) updated=\($0.updatedAt)" }
        }
        return (secrets.sorted(), try store.secretCountsByProvider())
    }

    /// The size of the `-wal` file left beside the database, 0 when there is none.
    static func walSize(in dataDirectory: String) -> Int {
        let wal = (dataDirectory as NSString).appendingPathComponent("secrets.sqlite-wal")
        return (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
    }
}
