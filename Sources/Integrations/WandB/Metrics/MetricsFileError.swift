#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a metrics file could not be followed.
public enum MetricsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but reading it failed (permissions, I/O error).
    case unreadable(path: String, errno: Int32)

    /// A sentence for the job's log.
    public var description: String {
        switch self {
        case .unreadable(let path, let code):
            return "cannot read the metrics file \(path): \(String(cString: strerror(code)))"
        }
    }
}
