import CLauncher

#if canImport(Glibc)
    import Glibc
#endif

/// Starts jobs with their secrets: a private tmpfs in a private mount and PID namespace where the kernel allows it
/// (a SIGKILLed runner then takes the job and the files with it), else a `/dev/shm` directory and a direct child.
///
/// No shell is involved and nothing is added to the environment. Failures to find or execute the command are
/// known before ``launch(_:)`` returns, as errors whose ``LaunchError/exitStatus`` is 127 or 126.
public enum ChildLauncher {
    /// Starts the job described by `request` and returns once it runs (its `execve` succeeded).
    ///
    /// Blocks only for the launch itself (a few milliseconds). The secrets directory, given or reserved here,
    /// belongs to the launch: it is removed when this throws, else by ``LaunchedChild/removeSecretsDirectory()``.
    public static func launch(_ request: LaunchRequest) throws -> LaunchedChild {
        var directory = request.secretsDirectory
        do {
            try request.validate()
            if directory == nil && !request.secretFiles.isEmpty { directory = try TmpfsSecretDirectory.reserve() }
            return try launch(request, in: directory)
        } catch {
            try? directory?.remove()
            throw error
        }
    }

    private static func launch(_ request: LaunchRequest, in directory: TmpfsSecretDirectory?) throws -> LaunchedChild {
        let command = request.argv[0]
        let executable = try ExecutableLookup.resolve(
            command, searchPath: request.searchPath, workingDirectory: request.workingDirectory)
        let spec = NativeLaunchSpec(request: request, executable: executable, secretsDirectory: directory?.path)
        let attempt = Attempt(request: request, command: command, executable: executable, directory: directory, spec: spec)

        var fallbackReason: String?
        switch request.isolation {
        case .sharedMemory: fallbackReason = "requested by the caller"
        case .automatic: fallbackReason = NamespaceAvailability.knownRefusal
        case .namespace: fallbackReason = nil
        }
        if fallbackReason == nil {
            switch try attempt.run(isolation: .namespace) {
            case .started(let child):
                return child
            case .namespaceRefused(let reason):
                if request.isolation == .namespace { throw LaunchError.isolationUnavailable(reason: reason) }
                let explained = "the kernel refused a private namespace (\(reason))"
                NamespaceAvailability.remember(explained)
                fallbackReason = explained
            }
        }
        switch try attempt.run(isolation: .sharedMemory(reason: fallbackReason!)) {
        case .started(let child): return child
        case .namespaceRefused(let reason): throw LaunchError.isolationUnavailable(reason: reason)
        }
    }

    /// One try at starting the job in one isolation mode.
    private struct Attempt {
        let request: LaunchRequest
        let command: String
        let executable: String
        let directory: TmpfsSecretDirectory?
        let spec: NativeLaunchSpec

        enum Result {
            case started(LaunchedChild)
            case namespaceRefused(String)
        }

        func run(isolation: Isolation) throws -> Result {
            let namespaces = isolation == .namespace
            let (stdout, stderr) = try OutputChannel.pair(for: request.output)
            spec.prepareAttempt(namespaces: namespaces, stdout: stdout, stderr: stderr)
            let (outcome, watcher) = LaunchThread.start(spec, namespaces: namespaces)
            stdout.closeChildEnd()
            stderr.closeChildEnd()
            if let watcher {
                return .started(
                    LaunchedChild(
                        pid: outcome.pid, directory: directory, isolation: isolation, stdout: stdout, stderr: stderr,
                        watcher: watcher))
            }
            close(stdout.runnerEnd)
            close(stderr.runnerEnd)
            if namespaces && LaunchError.isNamespaceRefusal(stage: outcome.failed_stage) {
                return .namespaceRefused(LaunchError.stageSummary(stage: outcome.failed_stage, errno: outcome.failed_errno))
            }
            throw LaunchError.failure(
                stage: outcome.failed_stage, errno: outcome.failed_errno, command: command, executable: executable,
                request: request, secretsDirectory: directory?.path)
        }
    }
}
