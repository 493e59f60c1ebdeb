import SecretStore

/// Everything a store holds that a request could change: workspaces, every secret's metadata and value,
/// principals with their token counts and roles. Two equal snapshots mean nothing changed.
struct StoreSnapshot: Equatable, CustomStringConvertible {
    let workspaces: [String]
    let secrets: [String]
    let principals: [PrincipalSummary]

    init(of store: SecretStore) throws {
        let workspaces = try store.listWorkspaces()
        self.workspaces = workspaces.map(\.name)
        var secrets: [String] = []
        for workspace in workspaces {
            let name = try WorkspaceName(workspace.name)
            let page = try store.listSecrets(in: name, page: PageRequest(page: 1, pageSize: 100_000))
            for secret in page.data {
                let value = try store.accessSecret(SecretReference(workspace: name, name: SecretName(secret.name)))
                secrets.append(
                    "\(secret.reference) description=\(secret.description ?? "nil") created=\(secret.createdAt) "
                        + "updated=\(secret.updatedAt) value=\(value.revealedString() ?? "<bytes>")")
            }
        }
        self.secrets = secrets.sorted()
        principals = try store.listPrincipals()
    }

    var description: String {
        "workspaces: \(workspaces)\nsecrets:\n  \(secrets.joined(separator: "\n  "))\nprincipals: \(principals)"
    }
}
