/// How an injected step ended.
public struct StepOutcome: Sendable {
    /// The child's exit.
    public let exit: ChildExit
    /// Whether the runner stopped it for running past its time limit.
    public let timedOut: Bool
    /// `namespace` or `shared-memory`, for the step's record.
    public let isolation: String
}
