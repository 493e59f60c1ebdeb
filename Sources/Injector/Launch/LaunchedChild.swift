#if canImport(Glibc)
    import Glibc
#endif

/// A running job: its output streams, how it is isolated, and the means to signal it, wait for it and clean up.
///
/// Waiting never ties up a Swift concurrency thread: a dedicated thread reaps the child, and the async
/// async `waitForExit()` suspends until it has.
public final class LaunchedChild: Sendable {
    /// The runner's direct child: in namespace mode the namespace's PID 1 (it forwards signals to the job, and
    /// killing it kills everything in the namespace), in shared-memory mode the job itself.
    public let pid: Int32
    /// The secrets directory as the child sees it (`$JOBRUNNER_SECRETS_DIR`), or nil when the step has no files.
    public let secretsDirectory: String?
    /// How the job is isolated; `.sharedMemory` carries the reason, for the runner to say once.
    public let isolation: Isolation
    /// The read end of the job's standard output (a pipe, or a pseudo-terminal where EIO means end of file).
    /// The caller owns it: read it until end of file, then close it.
    public let stdout: Int32
    /// The read end of the job's standard error, owned by the caller like ``stdout``.
    public let stderr: Int32

    private let directory: TmpfsSecretDirectory?
    private let watcher: ChildWatcher
    private let terminalControllers: [Int32]

    init(
        pid: Int32, directory: TmpfsSecretDirectory?, isolation: Isolation, stdout: OutputChannel,
        stderr: OutputChannel, watcher: ChildWatcher
    ) {
        self.pid = pid
        self.directory = directory
        self.secretsDirectory = directory?.path
        self.isolation = isolation
        self.stdout = stdout.runnerEnd
        self.stderr = stderr.runnerEnd
        self.watcher = watcher
        self.terminalControllers = [stdout, stderr].filter(\.isTerminal).map(\.runnerEnd)
    }

    /// Sends `signal` to the job's process group (through the namespace's PID 1 in namespace mode, which forwards
    /// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH; SIGKILL ends the whole namespace at once,
    /// other signals are not delivered there). Does nothing once the job has been reaped.
    public func send(_ signal: Int32) {
        watcher.send(signal)
    }

    /// How the job ended, or nil while it runs.
    public var exitIfEnded: ChildExit? {
        watcher.exitIfEnded
    }

    /// Blocks the calling thread until the job has ended. Call it from a thread of your own, never from a Swift
    /// concurrency thread; async code uses the async overload.
    public func waitForExit() -> ChildExit {
        watcher.waitForExit()
    }

    /// Suspends until the job has ended, without blocking any thread.
    public func waitForExit() async -> ChildExit {
        await watcher.waitForExit()
    }

    /// Removes the secrets directory once the job has ended: in namespace mode only the empty mount point is left
    /// (the tmpfs went with the namespace); in shared-memory mode the files are unlinked first. Throws while the job
    /// still runs, because removing a mount point would pull the files from under it.
    public func removeSecretsDirectory() throws {
        guard let directory else { return }
        guard watcher.exitIfEnded != nil else { throw LaunchError.system(call: "rmdir \(directory.path)", errno: EBUSY) }
        try directory.remove()
    }

    /// Gives the job's pseudo-terminals the runner's current window size (call it on the runner's SIGWINCH); the
    /// kernel then sends SIGWINCH to the job. Does nothing with pipes.
    public func copyRunnerWindowSize() {
        for controller in terminalControllers { PseudoTerminal.copyRunnerWindowSize(to: controller) }
    }
}
