import Foundation
import GRDB

/// A principal as `auth list` shows it.
public struct PrincipalSummary: Sendable, Equatable, Encodable {
    /// The principal's name.
    public let name: String
    /// Whether it is a platform service.
    public let isService: Bool
    /// How many of its tokens are not revoked.
    public let activeTokens: Int
    /// Its role bindings: `{"workspace": "team-a", "role": "Editor"}`, or no workspace for Platform Admin.
    public let roles: [RoleBinding]

    enum CodingKeys: String, CodingKey {
        case name, roles
        case isService = "service"
        case activeTokens = "active_tokens"
    }
}

/// One role a principal holds, in a workspace or (Platform Admin) everywhere.
public struct RoleBinding: Sendable, Equatable, Encodable {
    /// The workspace, or nil for Platform Admin.
    public let workspace: String?
    /// The role.
    public let role: Role
}

extension SecretStore {
    /// The `role_binding.workspace` value for platform-wide roles.
    private static let platformScope = ""

    /// Issues a new bearer token for `name`, creating the principal if needed; the token is shown only here.
    public func createToken(for name: String, isService: Bool) throws -> SecretValue {
        try Principal.validate(name)
        let token = AccessToken.generate()
        let now = Timestamp.now().microsecondsSinceEpoch
        try withStorageErrors("create a token for \(name)") {
            try database.writer.write { db in
                if let existing = try Bool.fetchOne(db, sql: "SELECT is_service FROM principal WHERE name = ?", arguments: [name]) {
                    if existing != isService { throw SecretStoreError.principalKindConflict(name, existingIsService: existing) }
                } else {
                    try db.execute(
                        sql: "INSERT INTO principal (name, is_service, created_at) VALUES (?, ?, ?)",
                        arguments: [name, isService, now])
                }
                try db.execute(
                    sql: "INSERT INTO access_token (selector, principal, verifier_hash, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [token.selector, name, token.verifierHash, now])
            }
        }
        return SecretValue(token.text)
    }

    /// Revokes every token of `name`; returns how many were active.
    @discardableResult
    public func revokeTokens(of name: String) throws -> Int {
        try withStorageErrors("revoke the tokens of \(name)") {
            try database.writer.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM principal WHERE name = ?", arguments: [name]) != nil else {
                    throw SecretStoreError.principalNotFound(name)
                }
                try db.execute(
                    sql: "UPDATE access_token SET revoked_at = ? WHERE principal = ? AND revoked_at IS NULL",
                    arguments: [Timestamp.now().microsecondsSinceEpoch, name])
                accessCache.clear()
                return db.changesCount
            }
        }
    }

    /// The principal a presented bearer token belongs to; throws ``AccessDenial/unauthenticated(_:)`` otherwise.
    public func authenticate(bearerToken text: String) throws -> Principal {
        if let cached = accessCache.principals.value(for: text) { return cached }
        let principal = try authenticateWithDatabase(bearerToken: text)
        accessCache.principals.remember(principal, for: text)
        return principal
    }

    private func authenticateWithDatabase(bearerToken text: String) throws -> Principal {
        guard let token = AccessToken(parsing: text) else {
            throw AccessDenial.unauthenticated("Invalid or revoked token")
        }
        let stored = try withStorageErrors("check a token") {
            try database.hot.read(.token, token.selector) { rows in
                try rows.next()
                    ? (verifierHash: rows.data(0), isRevoked: !rows.isNull(1), name: rows.text(2), isService: rows.int64(3) != 0)
                    : nil
            }
        }
        guard let stored, token.matches(storedHash: stored.verifierHash), !stored.isRevoked else {
            throw AccessDenial.unauthenticated("Invalid or revoked token")
        }
        return try Principal(name: stored.name, isService: stored.isService)
    }

    /// Gives `name` a role in `workspace` (replacing the one it held there), or Platform Admin when nil.
    public func grant(_ role: Role, to name: String, in workspace: WorkspaceName?) throws {
        try Principal.validate(name)
        if (role == .platformAdmin) != (workspace == nil) {
            throw SecretStoreError.invalidRoleScope(
                role == .platformAdmin
                    ? "PlatformAdmin holds in every workspace; grant it without --workspace"
                    : "\(role.rawValue) holds in one workspace; give it with --workspace WS")
        }
        try withStorageErrors("grant \(role.rawValue) to \(name)") {
            try database.writer.write { db in
                if let workspace, try !workspaceExists(workspace, in: db) {
                    throw SecretStoreError.workspaceNotFound(workspace)
                }
                try db.execute(
                    sql: """
                        INSERT INTO role_binding (principal, workspace, role, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (principal, workspace) DO UPDATE SET role = excluded.role
                        """,
                    arguments: [name, workspace?.rawValue ?? Self.platformScope, role.rawValue, Timestamp.now().microsecondsSinceEpoch])
                accessCache.clear()
            }
        }
    }

    /// Removes the role `name` holds in `workspace`, or its Platform Admin role when nil.
    public func revokeRole(of name: String, in workspace: WorkspaceName?) throws {
        try withStorageErrors("revoke the role of \(name)") {
            try database.writer.write { db in
                try db.execute(
                    sql: "DELETE FROM role_binding WHERE principal = ? AND workspace = ?",
                    arguments: [name, workspace?.rawValue ?? Self.platformScope])
                accessCache.clear()
                if db.changesCount == 0 {
                    throw SecretStoreError.roleBindingNotFound(
                        principal: name, scope: workspace.map { "workspace '\($0)'" } ?? "the platform (PlatformAdmin)")
                }
            }
        }
    }

    /// Every role `name` holds; none when it holds no binding (deny by default).
    public func grants(of name: String) throws -> RoleGrants {
        if let cached = accessCache.grants.value(for: name) { return cached }
        let grants = try grantsFromDatabase(of: name)
        accessCache.grants.remember(grants, for: name)
        return grants
    }

    private func grantsFromDatabase(of name: String) throws -> RoleGrants {
        try withStorageErrors("read the roles of \(name)") {
            try database.hot.read(.roleBindings, name) { rows in
                var grants = RoleGrants.none
                while try rows.next() {
                    guard let role = Role(rawValue: rows.text(1)) else { continue }
                    let workspace = rows.text(0)
                    if workspace == Self.platformScope {
                        grants.isPlatformAdmin = grants.isPlatformAdmin || role == .platformAdmin
                    } else {
                        grants.workspaceRoles[workspace] = role
                    }
                }
                return grants
            }
        }
    }

    /// Every principal with a token or a role, by name.
    public func listPrincipals() throws -> [PrincipalSummary] {
        try withStorageErrors("list principals") {
            try database.writer.read { db in
                var kinds: [String: Bool] = [:]
                var active: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT p.name, p.is_service,
                            (SELECT COUNT(*) FROM access_token t WHERE t.principal = p.name AND t.revoked_at IS NULL) AS n
                        FROM principal p
                        """)
                {
                    kinds[row["name"]] = row["is_service"]
                    active[row["name"]] = row["n"]
                }
                var roles: [String: [RoleBinding]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT principal, workspace, role FROM role_binding ORDER BY workspace") {
                    let workspace: String = row["workspace"]
                    guard let role = Role(rawValue: row["role"]) else { continue }
                    roles[row["principal"], default: []].append(
                        RoleBinding(workspace: workspace == Self.platformScope ? nil : workspace, role: role))
                }
                return Set(kinds.keys).union(roles.keys).sorted().map { name in
                    PrincipalSummary(
                        name: name, isService: kinds[name] ?? name.hasPrefix("service:"), activeTokens: active[name] ?? 0,
                        roles: roles[name] ?? [])
                }
            }
        }
    }
}
