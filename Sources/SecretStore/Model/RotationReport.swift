/// The outcome of a key rotation, encoded as the reference's reply: `{"rotated_secrets": N, "success": bool}`.
public struct RotationReport: Hashable, Sendable, Encodable {
    /// How many data keys this run re-wrapped under the current provider.
    public let rotatedSecrets: Int
    /// How many could not be re-wrapped (each was logged with its reason); a later run retries them.
    public let failedSecrets: Int

    /// A report of `rotatedSecrets` done and `failedSecrets` left.
    public init(rotatedSecrets: Int, failedSecrets: Int) {
        self.rotatedSecrets = rotatedSecrets
        self.failedSecrets = failedSecrets
    }

    /// True when every secret is now under the current provider.
    public var success: Bool { failedSecrets == 0 }

    enum CodingKeys: String, CodingKey {
        case rotatedSecrets = "rotated_secrets"
        case success
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rotatedSecrets, forKey: .rotatedSecrets)
        try container.encode(success, forKey: .success)
    }
}
