import GRDB

extension SecretStore {
    /// Creates an empty workspace.
    @discardableResult
    public func createWorkspace(_ workspace: WorkspaceName) throws -> WorkspaceSummary {
        let now = Timestamp.now()
        return try withStorageErrors("create workspace \(workspace)") {
            try database.writer.write { db in
                do {
                    try db.execute(
                        sql: "INSERT INTO workspace (name, created_at) VALUES (?, ?)",
                        arguments: [workspace.rawValue, now.microsecondsSinceEpoch])
                } catch let error as DatabaseError where error.isUniqueViolation {
                    throw SecretStoreError.workspaceAlreadyExists(workspace)
                }
                return WorkspaceSummary(name: workspace.rawValue, createdAt: now, secretCount: 0)
            }
        }
    }

    /// Every workspace, by name, with how many secrets each holds.
    public func listWorkspaces() throws -> [WorkspaceSummary] {
        try withStorageErrors("list workspaces") {
            try database.writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT w.name, w.created_at, (SELECT COUNT(*) FROM secret s WHERE s.workspace = w.name) AS n
                        FROM workspace w ORDER BY w.name
                        """
                ).map { row in
                    WorkspaceSummary(
                        name: row["name"], createdAt: Timestamp(microsecondsSinceEpoch: row["created_at"]),
                        secretCount: row["n"])
                }
            }
        }
    }

    /// Whether the workspace exists.
    public func workspaceExists(_ workspace: WorkspaceName) throws -> Bool {
        try withStorageErrors("read workspace \(workspace)") {
            try database.writer.read { db in try workspaceExists(workspace, in: db) }
        }
    }

    /// Deletes an empty workspace other than `default`.
    public func deleteWorkspace(_ workspace: WorkspaceName) throws {
        if workspace == .default { throw SecretStoreError.defaultWorkspaceIsPermanent }
        try withStorageErrors("delete workspace \(workspace)") {
            try database.writer.write { db in
                try requireWorkspace(workspace, in: db)
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM secret WHERE workspace = ?", arguments: [workspace.rawValue]) ?? 0
                if count > 0 { throw SecretStoreError.workspaceNotEmpty(workspace, secretCount: count) }
                try db.execute(sql: "DELETE FROM role_binding WHERE workspace = ?", arguments: [workspace.rawValue])
                accessCache.clear()
                try db.execute(sql: "DELETE FROM workspace WHERE name = ?", arguments: [workspace.rawValue])
            }
        }
    }
}
