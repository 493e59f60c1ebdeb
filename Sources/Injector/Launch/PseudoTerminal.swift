import CLauncher

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal pair for one output stream: the job writes to the terminal side and believes it talks to a
/// terminal (colours, progress bars); the runner reads the controller side, where EIO after the job ends means EOF.
struct PseudoTerminal {
    /// The runner's end, read for the job's output.
    let controller: Int32
    /// The job's end, which becomes its stdout or stderr.
    let terminal: Int32

    /// Opens a pair with output post-processing off (bytes pass unchanged, `\n` stays `\n`) and the runner's
    /// window size, when the runner has a terminal.
    static func open() throws -> PseudoTerminal {
        var controller: Int32 = -1
        var terminal: Int32 = -1
        let failure = cl_open_pseudo_terminal(&controller, &terminal)
        guard failure == 0 else { throw LaunchError.system(call: "posix_openpt", errno: failure) }
        let pair = PseudoTerminal(controller: controller, terminal: terminal)
        copyRunnerWindowSize(to: controller)
        return pair
    }

    /// Gives the pseudo-terminal behind `controller` the size of the runner's terminal; the kernel then sends
    /// SIGWINCH to the job's foreground process group when the size changed.
    static func copyRunnerWindowSize(to controller: Int32) {
        guard let source = [STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO].first(where: { cl_is_terminal($0) == 1 }) else {
            return
        }
        _ = cl_copy_window_size(source, controller)
    }
}
