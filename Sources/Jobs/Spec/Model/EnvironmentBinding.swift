import SecretStore

/// One environment variable a step sets, with where its value comes from.
///
/// A literal and a secret are different cases, so a plain value can never be taken for a secret name or the
/// reverse.
public struct EnvironmentBinding: Sendable, Equatable {
    /// Where a variable's value comes from.
    public enum Source: Sendable, Equatable {
        /// Text written in the spec itself; not a secret, and not masked.
        case literal(String)
        /// A secret resolved just before the step starts, and masked in its output.
        case secret(SecretReference)
    }

    /// Variables starting with this prefix are set by the runner itself (job id, step, secrets directory), so a
    /// spec may not set them.
    public static let reservedEnvironmentPrefix = "JOBRUNNER_"

    /// The variable's name, valid for a POSIX environment.
    public var name: String
    /// Where the variable's value comes from.
    public var source: Source

    /// A binding of `name` to `source`.
    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }
}
