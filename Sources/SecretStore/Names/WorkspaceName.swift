/// The name of a workspace, the unit of isolation and access control; always valid once constructed.
public struct WorkspaceName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name as text.
    public let rawValue: String

    /// The workspace that always exists and that bare secret names fall back to.
    public static let `default` = WorkspaceName(unchecked: "default")

    /// Validates `rawValue` against ``ResourceNameRule``.
    public init(_ rawValue: String) throws {
        try ResourceNameRule.validate(rawValue, kind: "workspace name")
        self.rawValue = rawValue
    }

    private init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: WorkspaceName, rhs: WorkspaceName) -> Bool { lhs.rawValue < rhs.rawValue }
}
