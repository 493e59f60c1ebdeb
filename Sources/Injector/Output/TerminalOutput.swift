#if canImport(Glibc)
    import Glibc
#endif

/// Writes a child's masked stdout to the runner's standard output and its stderr to the runner's standard error.
public struct TerminalOutput: StepOutputSink {
    /// The runner's own standard streams.
    public init() {}

    /// Writes all of `bytes`, retrying short writes and EINTR; a closed terminal loses the output, not the job.
    public func write(_ bytes: [UInt8], to stream: ChildStream) {
        let descriptor = stream == .stdout ? STDOUT_FILENO : STDERR_FILENO
        bytes.withUnsafeBytes { DescriptorWriter.writeAll($0, to: descriptor) }
    }

    /// Nothing to do: the runner's streams stay open for its own messages.
    public func finish(_ stream: ChildStream) {}
}
