@preconcurrency import Crypto
import Foundation
import GRDB

extension SecretStore {
    /// Stores a new secret; fails if the workspace is missing or the name is taken.
    @discardableResult
    public func createSecret(_ reference: SecretReference, value: SecretValue, description: String? = nil) throws
        -> SecretMetadata
    {
        try value.validateForStorage()
        let sealed = try seal(value, for: reference)
        let now = Timestamp.now()
        return try withStorageErrors("create secret \(reference)") {
            try database.writer.write { db in
                guard try workspaceExists(reference.workspace, in: db) else {
                    throw SecretStoreError.workspaceMissingForNewSecret(reference.workspace)
                }
                do {
                    try db.execute(
                        sql: """
                            INSERT INTO secret (workspace, name, description, sealed_value, wrapped_data_key,
                                                key_provider, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            reference.workspace.rawValue, reference.name.rawValue, description, sealed.value,
                            sealed.wrappedDataKey, sealed.provider, now.microsecondsSinceEpoch,
                            now.microsecondsSinceEpoch,
                        ])
                } catch let error as DatabaseError where error.isUniqueViolation {
                    throw SecretStoreError.secretAlreadyExists(reference)
                }
                return SecretMetadata(
                    name: reference.name.rawValue, workspace: reference.workspace.rawValue, description: description,
                    createdAt: now, updatedAt: now)
            }
        }
    }

    /// One page of the workspace's secrets, newest first; a page past the end is empty, not an error.
    public func listSecrets(in workspace: WorkspaceName, page: PageRequest = .first) throws -> SecretPage {
        try withStorageErrors("list secrets in \(workspace)") {
            try database.writer.read { db in
                try requireWorkspace(workspace, in: db)
                let total =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM secret WHERE workspace = ?", arguments: [workspace.rawValue]) ?? 0
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(SecretMetadata.columns) FROM secret WHERE workspace = ?
                        ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                        """,
                    arguments: [workspace.rawValue, page.pageSize, page.offset])
                return SecretPage(data: rows.map(SecretMetadata.init(row:)), request: page, totalResults: total)
            }
        }
    }

    /// The secret's metadata, never its value.
    public func secretMetadata(_ reference: SecretReference) throws -> SecretMetadata {
        let metadata = try withStorageErrors("read secret \(reference)") {
            try database.hot.read(.secretMetadata, reference.workspace.rawValue, reference.name.rawValue) { rows in
                try rows.next()
                    ? SecretMetadata(
                        name: reference.name.rawValue, workspace: reference.workspace.rawValue, description: rows.optionalText(0),
                        createdAt: Timestamp(microsecondsSinceEpoch: rows.int64(1)),
                        updatedAt: Timestamp(microsecondsSinceEpoch: rows.int64(2))) : nil
            }
        }
        guard let metadata else { throw SecretStoreError.secretNotFound(reference) }
        return metadata
    }

    /// Changes the value, the description, or both; with neither, returns the metadata unchanged.
    ///
    /// A new value gets a new data key wrapped by the current provider, so an update also moves the row off
    /// an old provider. A description of nil leaves it as it is; an empty string clears it.
    @discardableResult
    public func updateSecret(_ reference: SecretReference, value: SecretValue? = nil, description: String? = nil)
        throws -> SecretMetadata
    {
        try value?.validateForStorage()
        let sealed = try value.map { try seal($0, for: reference) }
        let now = Timestamp.now()
        return try withStorageErrors("update secret \(reference)") {
            try database.writer.write { db in
                if let sealed {
                    try db.execute(
                        sql: """
                            UPDATE secret SET sealed_value = ?, wrapped_data_key = ?, key_provider = ?,
                                updated_at = ?, description = COALESCE(?, description)
                            WHERE workspace = ? AND name = ?
                            """,
                        arguments: [
                            sealed.value, sealed.wrappedDataKey, sealed.provider, now.microsecondsSinceEpoch,
                            description, reference.workspace.rawValue, reference.name.rawValue,
                        ])
                } else if let description {
                    try db.execute(
                        sql: "UPDATE secret SET description = ?, updated_at = ? WHERE workspace = ? AND name = ?",
                        arguments: [
                            description, now.microsecondsSinceEpoch, reference.workspace.rawValue,
                            reference.name.rawValue,
                        ])
                }
                return try SecretMetadata.fetch(reference, in: db)
            }
        }
    }

    /// Removes the secret and its ciphertext.
    public func deleteSecret(_ reference: SecretReference) throws {
        try withStorageErrors("delete secret \(reference)") {
            try database.writer.write { db in
                try db.execute(
                    sql: "DELETE FROM secret WHERE workspace = ? AND name = ?",
                    arguments: [reference.workspace.rawValue, reference.name.rawValue])
                if db.changesCount == 0 { throw SecretStoreError.secretNotFound(reference) }
            }
        }
    }

    /// Decrypts and returns the value. Only platform administrators and platform services may be given this.
    public func accessSecret(_ reference: SecretReference) throws -> SecretValue {
        let stored = try withStorageErrors("read secret \(reference)") {
            // One statement is atomic on its own: no transaction around it, and the compiled statement is
            // reused (the hot path of every job start).
            try database.hot.read(.sealedSecret, reference.workspace.rawValue, reference.name.rawValue) { rows in
                try rows.next() ? (sealedValue: rows.data(0), wrappedDataKey: rows.data(1), provider: rows.text(2)) : nil
            }
        }
        guard let stored else { throw SecretStoreError.secretNotFound(reference) }
        let dataKey = try unwrapDataKey(stored.wrappedDataKey, provider: stored.provider, for: reference)
        return try EnvelopeCipher.open(stored.sealedValue, for: reference, dataKey: dataKey)
    }

    /// A value sealed under a fresh data key, and that key wrapped by the current provider.
    private func seal(_ value: SecretValue, for reference: SecretReference) throws
        -> (value: Data, wrappedDataKey: Data, provider: String)
    {
        let dataKey = EnvelopeCipher.makeDataKey()
        do {
            let sealedValue = try EnvelopeCipher.seal(value, for: reference, dataKey: dataKey)
            let wrapped = try keyRing.current.wrap(dataKey)
            return (sealedValue, wrapped, keyRing.current.name)
        } catch {
            throw SecretStoreError.cannotDecrypt(reference, reason: "encryption failed: \(error)")
        }
    }

    /// Recovers a row's data key with the provider that wrapped it.
    func unwrapDataKey(_ wrapped: Data, provider name: String, for reference: SecretReference) throws -> SymmetricKey {
        guard let provider = keyRing.provider(named: name) else {
            throw SecretStoreError.providerNotConfigured(reference, provider: name)
        }
        do {
            return try provider.unwrap(wrapped)
        } catch let error as KeyUnwrapError {
            throw SecretStoreError.cannotDecrypt(reference, reason: error.reason)
        }
    }

    /// Throws ``SecretStoreError/workspaceNotFound(_:)`` unless the workspace exists.
    func requireWorkspace(_ workspace: WorkspaceName, in db: Database) throws {
        if try !workspaceExists(workspace, in: db) { throw SecretStoreError.workspaceNotFound(workspace) }
    }

    /// Whether the workspace exists, inside a transaction the caller holds.
    func workspaceExists(_ workspace: WorkspaceName, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM workspace WHERE name = ?)", arguments: [workspace.rawValue]) ?? false
    }
}
