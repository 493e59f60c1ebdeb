import Foundation
import SecretStore
import Testing

/// The principals, roles and secrets of the access matrix, made in a server's store.
///
/// Workspaces `team-a` (the callers' own) and `team-b` (another) each hold one secret, `target`. Principals:
///
/// | principal | token | role |
/// |---|---|---|
/// | `viewer`, `editor`, `admin` | yes | Viewer / Editor / Admin in team-a |
/// | `root` | yes | PlatformAdmin |
/// | `nobody` | yes | none |
/// | `revoked` | revoked | PlatformAdmin, so its 401 proves revocation, not a missing role |
/// | `service:jobs` | yes, a service | none |
/// | `alice` | – | Viewer in team-a (a job owner the service acts for) |
/// | `carol` | – | Editor in team-a |
/// | `bob` | – | Editor in team-b only |
struct AccessFixtures: Sendable {
    static let ownWorkspace = "team-a"
    static let otherWorkspace = "team-b"
    /// The secret every workspace holds at the start of a cell.
    static let target = "target"
    /// A name no workspace holds.
    static let absent = "absent"

    /// Bearer tokens by principal name.
    let tokens: [String: String]
    /// A well-formed token with root's selector and a wrong verifier: the hash comparison must refuse it.
    let badToken: String
    /// The value of `target` in each workspace.
    let values: [String: String]

    /// Creates workspaces, principals, tokens and roles in `server`'s store, then the secrets.
    init(in server: TestServer) throws {
        let store = server.store
        for workspace in [Self.ownWorkspace, Self.otherWorkspace] { try store.createWorkspace(WorkspaceName(workspace)) }
        let teamA = try WorkspaceName(Self.ownWorkspace)
        let teamB = try WorkspaceName(Self.otherWorkspace)
        var tokens: [String: String] = [:]
        for name in ["viewer", "editor", "admin", "root", "nobody", "revoked", "alice", "carol", "bob"] {
            tokens[name] = try server.token(for: name)
        }
        tokens["service:jobs"] = try server.token(for: "service:jobs", isService: true)
        try store.grant(.viewer, to: "viewer", in: teamA)
        try store.grant(.editor, to: "editor", in: teamA)
        try store.grant(.admin, to: "admin", in: teamA)
        try store.grant(.platformAdmin, to: "root", in: nil)
        try store.grant(.platformAdmin, to: "revoked", in: nil)
        try store.revokeTokens(of: "revoked")
        try store.grant(.viewer, to: "alice", in: teamA)
        try store.grant(.editor, to: "carol", in: teamA)
        try store.grant(.editor, to: "bob", in: teamB)
        self.tokens = tokens
        let root = tokens["root"]!
        let flipped: Character = root.last == "A" ? "B" : "A"
        badToken = String(root.dropLast()) + String(flipped)
        values = [Self.ownWorkspace: SecretValues.make("team-a-target"), Self.otherWorkspace: SecretValues.make("team-b-target")]
        try reset(server.store)
    }

    /// Puts both workspaces back to holding only `target` with its original value, so each cell starts alike.
    func reset(_ store: SecretStore) throws {
        for (workspace, value) in values {
            let name = try WorkspaceName(workspace)
            for secret in try store.listSecrets(in: name, page: PageRequest(page: 1, pageSize: 1000)).data {
                try store.deleteSecret(SecretReference(workspace: name, name: SecretName(secret.name)))
            }
            try store.createSecret(
                SecretReference(workspace: name, name: SecretName(Self.target)), value: SecretValue(value), description: "original")
        }
    }
}

/// Reads a secret's value straight from the store, or nil when it does not exist.
func storedValue(_ store: SecretStore, _ workspace: String, _ name: String) -> String? {
    guard let reference = try? SecretReference(workspace: WorkspaceName(workspace), name: SecretName(name)) else { return nil }
    return (try? store.accessSecret(reference))?.revealedString()
}
