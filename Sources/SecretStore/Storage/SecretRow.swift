import Foundation
import GRDB

/// One row of the `secret` table as the store reads it.
struct SecretRow: FetchableRecord, Decodable, Sendable {
    let id: Int64
    let workspace: String
    let name: String
    let description: String?
    let sealedValue: Data
    let wrappedDataKey: Data
    let keyProvider: String
    let createdAt: Int64
    let updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, workspace, name, description
        case sealedValue = "sealed_value"
        case wrappedDataKey = "wrapped_data_key"
        case keyProvider = "key_provider"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The columns metadata needs, for queries that must not load ciphertexts.
    static let metadataColumns = "id, workspace, name, description, created_at, updated_at"

    var metadata: SecretMetadata {
        SecretMetadata(
            name: name,
            workspace: workspace,
            description: description,
            createdAt: Timestamp(microsecondsSinceEpoch: createdAt),
            updatedAt: Timestamp(microsecondsSinceEpoch: updatedAt))
    }
}

extension SecretMetadata {
    /// Reads metadata from a row holding ``SecretRow/metadataColumns``.
    init(row: Row) {
        self.init(
            name: row["name"],
            workspace: row["workspace"],
            description: row["description"],
            createdAt: Timestamp(microsecondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(microsecondsSinceEpoch: row["updated_at"]))
    }
}
