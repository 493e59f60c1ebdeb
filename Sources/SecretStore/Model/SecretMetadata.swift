/// What anyone allowed to see a secret may know about it: everything but its value.
///
/// Encodes to the reference service's JSON: `{name, workspace, description, created_at, updated_at}`,
/// with `description` present (possibly null).
public struct SecretMetadata: Hashable, Sendable, Codable {
    /// The secret's name.
    public var name: String
    /// The workspace that holds it.
    public var workspace: String
    /// Free text for people, or nil.
    public var description: String?
    /// When it was created.
    public var createdAt: Timestamp
    /// When its value or description last changed.
    public var updatedAt: Timestamp

    /// Metadata with every field given.
    public init(name: String, workspace: String, description: String?, createdAt: Timestamp, updatedAt: Timestamp) {
        self.name = name
        self.workspace = workspace
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The `workspace/name` reference of this secret.
    public var reference: String { "\(workspace)/\(name)" }

    enum CodingKeys: String, CodingKey {
        case name, workspace, description
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(workspace, forKey: .workspace)
        try container.encode(description, forKey: .description)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
