import SecretStore

/// Everything needed to start one job: what to run, with which environment and files, and how isolated.
public struct LaunchRequest: Sendable {
    /// The command and its arguments, passed to `execve` as they are (no shell). A first element without `/` is
    /// searched in the child's `PATH`; one with `/` is used as given, relative to ``workingDirectory``.
    public var argv: [String]
    /// The child's plain variables, exactly: nothing is added or inherited beyond these and ``secretEnvironment``.
    public var environment: [(String, String)]
    /// Variables whose values are secrets; they follow ``environment`` and their plaintext is copied only into
    /// memory that is overwritten once the child has started.
    public var secretEnvironment: [(String, SecretValue)]
    /// The directory the child starts in (relative paths are relative to the runner's).
    public var workingDirectory: String
    /// Files to create, mode 0400, in the child's private tmpfs directory.
    public var secretFiles: [SecretFile]
    /// Where the files go. Reserve it first when the environment must name it (`JOBRUNNER_SECRETS_DIR`); when nil
    /// and there are files, the launcher reserves one. The launch owns it from here on: it is removed when the
    /// launch fails, else by ``LaunchedChild/removeSecretsDirectory()``.
    public var secretsDirectory: TmpfsSecretDirectory?
    /// Namespace, shared memory, or whichever works.
    public var isolation: IsolationPreference
    /// Pipes or pseudo-terminals for standard output and error. Standard input is always the runner's.
    public var output: OutputWiring
    /// The program the namespace's PID 1 becomes once the job runs (see ``NamespaceInitProgram``); nil makes PID 1
    /// a copy of the runner instead. Used only in namespace mode.
    public var namespaceInit: String?

    /// A request with every part spelled out; only `argv`, `environment` and `workingDirectory` are required.
    public init(
        argv: [String], environment: [(String, String)], secretEnvironment: [(String, SecretValue)] = [],
        workingDirectory: String, secretFiles: [SecretFile] = [], secretsDirectory: TmpfsSecretDirectory? = nil,
        isolation: IsolationPreference = .automatic, output: OutputWiring = .pipes,
        namespaceInit: String? = NamespaceInitProgram.installedPath
    ) {
        self.argv = argv
        self.environment = environment
        self.secretEnvironment = secretEnvironment
        self.workingDirectory = workingDirectory
        self.secretFiles = secretFiles
        self.secretsDirectory = secretsDirectory
        self.isolation = isolation
        self.output = output
        self.namespaceInit = namespaceInit
    }

    /// The child's `PATH`, where a bare command name is searched.
    var searchPath: String? {
        if let plain = environment.first(where: { $0.0 == "PATH" }) { return plain.1 }
        return secretEnvironment.first(where: { $0.0 == "PATH" })?.1.revealedString()
    }

    /// Rejects what `execve` or the file system cannot represent safely; messages name variables and files, never
    /// values.
    func validate() throws {
        guard let command = argv.first, !command.isEmpty else {
            throw LaunchError.invalidRequest("the command is empty")
        }
        if argv.contains(where: { $0.utf8.contains(0) }) {
            throw LaunchError.invalidRequest("an argument contains a NUL byte")
        }
        if workingDirectory.isEmpty || workingDirectory.utf8.contains(0) {
            throw LaunchError.invalidRequest("the working directory is empty or contains a NUL byte")
        }
        for name in environment.map(\.0) + secretEnvironment.map(\.0) where !Self.isUsableVariableName(name) {
            throw LaunchError.invalidRequest("the variable name '\(name)' is empty or contains '=' or NUL")
        }
        for (name, value) in environment where value.utf8.contains(0) {
            throw LaunchError.invalidRequest("the value of \(name) contains a NUL byte")
        }
        for (name, value) in secretEnvironment where value.withUnsafeBytes({ $0.contains(0) }) {
            throw LaunchError.invalidRequest("the secret value of \(name) contains a NUL byte")
        }
        var seen = Set<String>()
        for file in secretFiles {
            let name = file.name
            if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.utf8.contains(0) {
                throw LaunchError.invalidRequest("the secret file name '\(name)' is not a plain file name")
            }
            if !seen.insert(name).inserted {
                throw LaunchError.invalidRequest("the secret file name '\(name)' is used twice")
            }
        }
    }

    private static func isUsableVariableName(_ name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(UInt8(ascii: "=")) && !name.utf8.contains(0)
    }
}
