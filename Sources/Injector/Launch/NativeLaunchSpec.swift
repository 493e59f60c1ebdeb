import CLauncher

#if canImport(Glibc)
    import Glibc
#endif

/// A launch request in the form the C launcher reads: C strings, vectors and file contents in one
/// ``PlaintextArena`` that is zeroed when this object goes away (right after the child has started).
final class NativeLaunchSpec: @unchecked Sendable {
    // Mutated only before a launch attempt, by the thread that then waits for it.
    private let arena: PlaintextArena
    private let files: UnsafeMutableBufferPointer<cl_secret_file>
    private var spec: cl_launch_spec

    /// The mount size for the private tmpfs: room for the files with a generous margin, small enough that a runaway
    /// job cannot fill memory through it.
    static func tmpfsByteCount(for files: [SecretFile]) -> Int {
        8 * 1024 * 1024 + files.reduce(0) { $0 + $1.value.count + 4096 }
    }

    /// Copies everything `execve` and the file writer need out of `request`.
    init(request: LaunchRequest, executable: String, secretsDirectory: String?) {
        let tmpfsOptions = "mode=0700,size=\(Self.tmpfsByteCount(for: request.secretFiles))"
        let userMap = "\(geteuid()) \(geteuid()) 1"
        let groupMap = "\(getegid()) \(getegid()) 1"

        var size = PlaintextArena.cStringSize(executable) + PlaintextArena.cStringSize(request.workingDirectory)
        size += PlaintextArena.cStringSize(secretsDirectory ?? "")
        size += PlaintextArena.cStringSize(tmpfsOptions) + PlaintextArena.cStringSize(userMap)
        size += PlaintextArena.cStringSize(groupMap) + PlaintextArena.cStringSize(request.namespaceInit ?? "")
        size += request.argv.reduce(0) { $0 + PlaintextArena.cStringSize($1) }
        size += request.environment.reduce(0) { $0 + PlaintextArena.cStringSize($1.0, "=", $1.1) }
        size += request.secretEnvironment.reduce(0) { $0 + PlaintextArena.cStringSize($1.0, "=") + $1.1.count }
        size += request.secretFiles.reduce(0) { $0 + PlaintextArena.cStringSize($1.name) + $1.value.count }
        let arena = PlaintextArena(byteCount: size)
        var spec = cl_launch_spec()

        spec.executable = UnsafePointer(arena.cString(executable))
        spec.working_directory = UnsafePointer(arena.cString(request.workingDirectory))
        spec.argv = UnsafePointer(arena.vector(request.argv.map { arena.cString($0) }))
        var environment = request.environment.map { arena.cString($0.0, "=", $0.1) }
        for (name, value) in request.secretEnvironment {
            environment.append(value.withUnsafeBytes { arena.environmentEntry(name, secret: $0) })
        }
        spec.envp = UnsafePointer(arena.vector(environment))
        spec.tmpfs_options = UnsafePointer(arena.cString(tmpfsOptions))
        spec.uid_map = UnsafePointer(arena.cString(userMap))
        spec.gid_map = UnsafePointer(arena.cString(groupMap))
        spec.use_user_namespace = geteuid() == 0 ? 0 : 1
        spec.init_executable = request.namespaceInit.map { UnsafePointer(arena.cString($0)) }

        let files = UnsafeMutableBufferPointer<cl_secret_file>.allocate(capacity: max(request.secretFiles.count, 1))
        for (index, file) in request.secretFiles.enumerated() {
            let name = arena.cString(file.name)
            let bytes = file.value.withUnsafeBytes { arena.copy($0) }
            files[index] = cl_secret_file(name: UnsafePointer(name), bytes: UnsafePointer(bytes), length: file.value.count)
        }
        spec.files = UnsafePointer(files.baseAddress)
        spec.file_count = request.secretFiles.count
        spec.secrets_directory = secretsDirectory.map { UnsafePointer(arena.cString($0)) }
        spec.plaintext = arena.wholeBlock.baseAddress
        spec.plaintext_length = arena.wholeBlock.count
        self.arena = arena
        self.files = files
        self.spec = spec
    }

    deinit {
        files.deallocate()
    }

    /// Sets the isolation mode and the child's output ends for the next attempt.
    func prepareAttempt(namespaces: Bool, stdout: OutputChannel, stderr: OutputChannel) {
        spec.use_namespaces = namespaces ? 1 : 0
        spec.stdout_fd = stdout.childEnd
        spec.stderr_fd = stderr.childEnd
        spec.stdout_is_terminal = stdout.isTerminal ? 1 : 0
    }

    /// Forks and executes the job (see `cl_launch`); call it on the thread that then waits for the child.
    func launch() -> cl_launch_outcome {
        var outcome = cl_launch_outcome()
        _ = withUnsafePointer(to: &spec) { cl_launch($0, &outcome) }
        return outcome
    }
}
