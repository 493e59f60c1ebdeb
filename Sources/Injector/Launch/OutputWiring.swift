/// What the child's standard output and error are connected to; the runner reads the other ends.
public enum OutputWiring: Sendable, Equatable {
    /// Plain pipes: for logs, files and anything that is not a terminal.
    case pipes
    /// One pseudo-terminal per stream (stdout's is the controlling terminal), so colours and progress bars keep
    /// working when the runner itself writes to a terminal.
    case pseudoTerminals
}
