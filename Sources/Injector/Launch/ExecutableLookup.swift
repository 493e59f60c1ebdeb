#if canImport(Glibc)
    import Glibc
#endif

/// Finds the file `execve` should run for a command, the way `execvp` would but against the child's `PATH` and
/// working directory, so that "not found" (127) and "cannot execute" (126) are known before anything is forked.
enum ExecutableLookup {
    /// The search path when the child's environment has no `PATH`.
    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// The path to execute for `command`: as given when it contains `/`, else the first executable regular file
    /// named `command` in `searchPath`. Relative results are made absolute against `workingDirectory`.
    static func resolve(_ command: String, searchPath: String?, workingDirectory: String) throws -> String {
        if command.contains("/") {
            let path = absolute(command, in: workingDirectory)
            switch inspect(path) {
            case .missing: throw LaunchError.commandNotFound(command)
            case .notExecutable(let reason): throw LaunchError.cannotExecute(command, reason: reason)
            case .executable: return path
            }
        }
        var firstRefusal: String?
        for directory in (searchPath ?? defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false) {
            // An empty PATH entry means the current directory, as for execvp.
            let path = absolute((directory.isEmpty ? "." : String(directory)) + "/" + command, in: workingDirectory)
            switch inspect(path) {
            case .executable: return path
            case .notExecutable(let reason): firstRefusal = firstRefusal ?? reason
            case .missing: continue
            }
        }
        if let firstRefusal { throw LaunchError.cannotExecute(command, reason: firstRefusal) }
        throw LaunchError.commandNotFound(command)
    }

    /// Whether a path names a file at all (execve's ENOENT then means a missing interpreter, not a missing command).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    private enum Inspection {
        case missing
        case notExecutable(String)
        case executable
    }

    private static func inspect(_ path: String) -> Inspection {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == EACCES ? .notExecutable("permission denied") : .missing
        }
        if info.st_mode & S_IFMT == S_IFDIR { return .notExecutable("it is a directory") }
        if info.st_mode & S_IFMT != S_IFREG { return .notExecutable("it is not a regular file") }
        if access(path, X_OK) != 0 { return .notExecutable("permission denied") }
        return .executable
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }
}
