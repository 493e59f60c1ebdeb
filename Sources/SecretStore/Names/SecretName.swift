/// The name of a secret, unique within its workspace; always valid once constructed.
public struct SecretName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name as text.
    public let rawValue: String

    /// Validates `rawValue` against ``ResourceNameRule``.
    public init(_ rawValue: String) throws {
        try ResourceNameRule.validate(rawValue, kind: "secret name")
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: SecretName, rhs: SecretName) -> Bool { lhs.rawValue < rhs.rawValue }
}
