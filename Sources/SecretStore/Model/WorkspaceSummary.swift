/// A workspace as listed: its name, when it was created and how many secrets it holds.
public struct WorkspaceSummary: Hashable, Sendable, Codable {
    /// The workspace name.
    public let name: String
    /// When it was created (`default`: when the store was).
    public let createdAt: Timestamp
    /// How many secrets it holds now.
    public let secretCount: Int

    /// A summary with every field given.
    public init(name: String, createdAt: Timestamp, secretCount: Int) {
        self.name = name
        self.createdAt = createdAt
        self.secretCount = secretCount
    }

    enum CodingKeys: String, CodingKey {
        case name
        case createdAt = "created_at"
        case secretCount = "secret_count"
    }
}
