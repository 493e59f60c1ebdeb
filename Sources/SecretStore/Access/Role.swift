/// The roles of the reference's access table. Viewer, Editor and Admin hold per workspace; Platform Admin
/// holds everywhere.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Lists secrets and reads their metadata.
    case viewer = "Viewer"
    /// Also creates, updates and deletes secrets.
    case editor = "Editor"
    /// The same rights over secrets as Editor (it administers other workspace resources).
    case admin = "Admin"
    /// Every right in every workspace, including reading values and rotating keys.
    case platformAdmin = "PlatformAdmin"

    /// Parses a role name case-insensitively, accepting `Platform Admin` and `platform-admin` too.
    public init?(parsing text: String) {
        let folded = text.lowercased().filter { $0.isLetter }
        guard let role = Role.allCases.first(where: { $0.rawValue.lowercased() == folded }) else { return nil }
        self = role
    }

    /// Whether the role may change secrets (create, update, delete).
    var canWrite: Bool { self != .viewer }
}

/// What a request wants to do with secrets, one per route of the HTTP contract.
public enum SecretAction: String, Sendable, CaseIterable {
    case list, retrieve, create, update, delete, access, rotate

    /// The verb used in messages: "may not create secrets in workspace 'x'".
    var phrase: String {
        switch self {
        case .list: return "list secrets"
        case .retrieve: return "read secret metadata"
        case .create: return "create secrets"
        case .update: return "update secrets"
        case .delete: return "delete secrets"
        case .access: return "read secret values"
        case .rotate: return "rotate encryption keys"
        }
    }
}
