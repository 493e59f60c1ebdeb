#if canImport(Glibc)
    import Glibc
#endif

/// `jobrunner-init`, the program a job's namespace PID 1 becomes once the job runs, installed beside the runner.
///
/// With it, PID 1 is created sharing the runner's memory and then executes this small program, so starting a job
/// in a private namespace copies nothing of the runner's large address space (for the runner's 180 MB binary that
/// copy, and the copy-on-write faults it causes afterwards, cost about a millisecond per job, more on a busy
/// machine). Without it PID 1 is a copy of the runner, which works the same way, only slower.
public enum NamespaceInitProgram {
    /// The executable's file name, in the directory of the runner's own executable.
    public static let fileName = "jobrunner-init"

    /// The path of the `jobrunner-init` beside this process's executable, when there is one this user may run.
    public static let installedPath: String? = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let executable = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = executable.lastIndex(of: "/") else { return nil }
        let path = String(executable[...slash]) + fileName
        return access(path, X_OK) == 0 ? path : nil
    }()
}
