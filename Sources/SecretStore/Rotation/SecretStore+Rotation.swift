import Foundation
import GRDB

/// How far a rotation has got, for progress displays.
public struct RotationProgress: Sendable {
    /// Rows re-wrapped so far by this run.
    public let rotated: Int
    /// Rows that could not be re-wrapped so far.
    public let failed: Int
    /// Rows that were under another provider when the run started.
    public let total: Int
}

extension SecretStore {
    /// The message logged when every secret is under the current provider, as the reference service logs it.
    public static let rotationCompletedMessage = "Completed rotation of encryption keys for all secrets"

    /// Re-wraps every data key not under the current provider, batch by batch.
    ///
    /// Each row changes in one statement that also checks its wrapped key is still the one read (so a value
    /// updated meanwhile is left alone: it is already under the current provider). A row is therefore always
    /// under the old or the new provider, never neither, whenever the process dies; a rerun picks up what is
    /// left. Values are not re-encrypted: only data keys move. Rows that fail (provider not configured, data key
    /// fails authentication) are logged with the reason and counted; the run goes on.
    public func rotateEncryptionKeys(batchSize: Int = 500, progress: (@Sendable (RotationProgress) -> Void)? = nil)
        throws -> RotationReport
    {
        let current = keyRing.current
        let batchSize = max(1, batchSize)
        let total = try withStorageErrors("count secrets to rotate") {
            try database.writer.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM secret WHERE key_provider <> ?", arguments: [current.name]) ?? 0
            }
        }
        logger.info(
            "Starting rotation of encryption keys",
            metadata: ["current_provider": "\(current.name)", "secrets_to_rotate": "\(total)"])

        var rotated = 0
        var failed = 0
        var lastID: Int64 = 0
        while true {
            let batch = try withStorageErrors("read secrets to rotate") {
                try database.writer.read { db in
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT id, workspace, name, wrapped_data_key, key_provider FROM secret
                            WHERE id > ? AND key_provider <> ? ORDER BY id LIMIT ?
                            """,
                        arguments: [lastID, current.name, batchSize])
                }
            }
            guard let last = batch.last else { break }
            lastID = last["id"]

            var rewrapped: [(id: Int64, old: Data, new: Data)] = []
            rewrapped.reserveCapacity(batch.count)
            for row in batch {
                let reference = SecretReference(
                    unvalidatedWorkspace: row["workspace"], name: row["name"])
                do {
                    let dataKey = try unwrapDataKey(row["wrapped_data_key"], provider: row["key_provider"], for: reference)
                    rewrapped.append((row["id"], row["wrapped_data_key"], try current.wrap(dataKey)))
                } catch {
                    failed += 1
                    logger.error(
                        "Could not re-wrap the data key of secret \(reference): \(error)",
                        metadata: ["secret": "\(reference)"])
                }
            }

            let changed = try withStorageErrors("save re-wrapped data keys") {
                try database.writer.write { db in
                    var changed = 0
                    let statement = try db.cachedStatement(
                        sql: """
                            UPDATE secret SET wrapped_data_key = ?, key_provider = ?
                            WHERE id = ? AND wrapped_data_key = ?
                            """)
                    for item in rewrapped {
                        try statement.execute(arguments: [item.new, current.name, item.id, item.old])
                        changed += db.changesCount
                    }
                    return changed
                }
            }
            rotated += changed
            progress?(RotationProgress(rotated: rotated, failed: failed, total: total))
        }

        let report = RotationReport(rotatedSecrets: rotated, failedSecrets: failed)
        if report.success {
            logger.info(
                "\(Self.rotationCompletedMessage)",
                metadata: ["rotated_secrets": "\(rotated)", "current_provider": "\(current.name)"])
        } else {
            logger.error(
                """
                Rotation of encryption keys incomplete: \(failed) secret\(failed == 1 ? "" : "s") could not be \
                re-wrapped (reasons logged above); fix them and run the rotation again
                """,
                metadata: ["rotated_secrets": "\(rotated)", "failed_secrets": "\(failed)"])
        }
        return report
    }

    /// How many secrets each key provider wraps, to check a rotation before removing an old provider.
    public func secretCountsByProvider() throws -> [String: Int] {
        try withStorageErrors("count secrets by provider") {
            try database.writer.read { db in
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key_provider, COUNT(*) AS n FROM secret GROUP BY key_provider") {
                    counts[row["key_provider"]] = row["n"]
                }
                return counts
            }
        }
    }
}

extension SecretReference {
    /// A reference built from names already stored, which passed validation when they were written.
    init(unvalidatedWorkspace workspace: String, name: String) {
        self.init(
            workspace: (try? WorkspaceName(workspace)) ?? .default,
            name: (try? SecretName(name)) ?? (try! SecretName("invalid-stored-name")))
    }
}
