#if canImport(Glibc)
    import Glibc
#endif

/// Writes a whole buffer to a file descriptor, the one place that handles short writes and EINTR for the
/// runner's terminal output, job logs and printed values.
public enum DescriptorWriter {
    /// Writes all of `bytes` to `descriptor`; returns false when the descriptor refused (closed pipe, full disk),
    /// so callers that must not fail on a lost terminal can ignore it.
    @discardableResult
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
