/// Where a step's masked output goes (the terminal, the job log); called from the threads that copy the child's
/// streams, so implementations must be thread-safe.
public protocol StepOutputSink: Sendable {
    /// Takes the next masked bytes of `stream`.
    func write(_ bytes: [UInt8], to stream: ChildStream)
    /// The stream has ended; nothing more comes for it.
    func finish(_ stream: ChildStream)
}
