/// How an integration hands its credential to a command step.
public enum SecretDelivery: String, Sendable, Equatable, CaseIterable {
    /// A file in the step's private tmpfs directory, named by a variable: the value stays out of the child's
    /// environment, which other processes of the same user can read.
    case file
    /// An environment variable, for tools that read nothing else.
    case env
}
