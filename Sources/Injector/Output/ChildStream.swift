/// Which of a child's output streams some bytes came from.
public enum ChildStream: String, Sendable, Hashable, CaseIterable {
    /// The child's standard output.
    case stdout
    /// The child's standard error.
    case stderr
}
