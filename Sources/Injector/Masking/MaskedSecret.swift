import SecretStore

/// A value the masker must hide, with the name the runner uses when it has to talk about it.
///
/// The label (usually the reference, such as `default/hf-token`) lets warnings name the secret without showing it.
public struct MaskedSecret: Sendable {
    /// How warnings refer to this secret, for example `default/hf-token`; never the value.
    public let label: String
    /// The plaintext to hide in the child's output.
    public let value: SecretValue

    /// Pairs a value with the label that warnings use for it.
    public init(label: String, value: SecretValue) {
        self.label = label
        self.value = value
    }
}
