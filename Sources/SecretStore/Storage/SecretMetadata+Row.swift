import GRDB

extension SecretMetadata {
    /// The `secret` columns metadata needs, for queries that must not load ciphertexts.
    static let columns = "workspace, name, description, created_at, updated_at"

    /// Reads metadata from a row holding ``columns``.
    init(row: Row) {
        self.init(
            name: row["name"],
            workspace: row["workspace"],
            description: row["description"],
            createdAt: Timestamp(microsecondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(microsecondsSinceEpoch: row["updated_at"]))
    }

    /// The metadata of `reference`, read inside a transaction the caller holds.
    static func fetch(_ reference: SecretReference, in db: Database) throws -> SecretMetadata {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(columns) FROM secret WHERE workspace = ? AND name = ?"),
                arguments: [reference.workspace.rawValue, reference.name.rawValue])
        else { throw SecretStoreError.secretNotFound(reference) }
        return SecretMetadata(row: row)
    }
}
