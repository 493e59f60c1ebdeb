#if canImport(Glibc)
    import Glibc
#endif

/// Why a job could not be started, with the exit status the runner reports for it.
///
/// Messages name commands, paths and system calls, never a secret value.
public enum LaunchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command is not a file (argv[0] as given, or searched in the child's `PATH`): exit status 127.
    case commandNotFound(String)
    /// The command exists but cannot be executed (permission, format, missing interpreter): exit status 126.
    case cannotExecute(String, reason: String)
    /// The working directory cannot be entered: exit status 126, since the command cannot run there.
    case workingDirectoryUnavailable(String, reason: String)
    /// A private namespace was required but the kernel refused it: exit status 125.
    case isolationUnavailable(reason: String)
    /// The secrets directory is not on tmpfs, so files would reach a disk: exit status 125.
    case notTmpfs(path: String, fsType: String)
    /// The request itself cannot be carried out (empty argv, NUL bytes, an unsafe file name): exit status 125.
    case invalidRequest(String)
    /// A system call failed while preparing the launch: exit status 125.
    case system(call: String, errno: Int32)

    /// The exit status the runner uses when this error stops a step.
    public var exitStatus: Int32 {
        switch self {
        case .commandNotFound: 127
        case .cannotExecute, .workingDirectoryUnavailable: 126
        case .isolationUnavailable, .notTmpfs, .invalidRequest, .system: 125
        }
    }

    /// A sentence for the terminal and the job log.
    public var description: String {
        switch self {
        case .commandNotFound(let command):
            "command not found: \(command)"
        case .cannotExecute(let command, let reason):
            "cannot execute \(command): \(reason)"
        case .workingDirectoryUnavailable(let path, let reason):
            "cannot use working directory \(path): \(reason)"
        case .isolationUnavailable(let reason):
            "a private namespace for the job is unavailable: \(reason)"
        case .notTmpfs(let path, let fsType):
            "refusing to write secret files to \(path): it is on \(fsType), not tmpfs"
        case .invalidRequest(let problem):
            "invalid launch request: \(problem)"
        case .system(let call, let number):
            "\(call) failed: \(Self.message(for: number))"
        }
    }

    /// The C library's text for an errno value.
    static func message(for number: Int32) -> String {
        String(cString: strerror(number))
    }
}
