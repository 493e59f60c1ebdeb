import CLauncher

/// How a job ended: its exit code, or the signal that killed it.
public enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    /// The job called `exit` with this code.
    case exited(Int32)
    /// A signal with this number ended the job.
    case signaled(Int32)

    /// The status a shell would report: the exit code, or 128 + the signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let number): 128 + number
        }
    }

    /// Decodes a raw `waitpid` status.
    init(waitStatus: Int32) {
        let signal = cl_status_signal(waitStatus)
        if signal != 0 {
            self = .signaled(signal)
        } else {
            self = .exited(max(cl_status_exit_code(waitStatus), 0))
        }
    }

    /// "exit status 3" or "signal 15 (SIGTERM)".
    public var description: String {
        switch self {
        case .exited(let code):
            return "exit status \(code)"
        case .signaled(let number):
            guard let abbreviation = cl_signal_abbreviation(number) else { return "signal \(number)" }
            return "signal \(number) (SIG\(String(cString: abbreviation)))"
        }
    }
}
