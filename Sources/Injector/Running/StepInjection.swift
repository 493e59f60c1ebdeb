import SecretStore

/// Everything the injector needs to run one step: the command, its environment (plain and secret), its secret
/// files, the values to mask, and the limits.
public struct StepInjection: Sendable {
    /// The variable naming the step's secrets directory, set when the step has secret files.
    public static let secretsDirectoryVariable = "JOBRUNNER_SECRETS_DIR"

    /// The command and its arguments (no shell).
    public var argv: [String]
    /// The child's plain variables, complete (inherited part included), each name once.
    public var environment: [(String, String)]
    /// Variables whose values are secrets.
    public var secretVariables: [(String, SecretValue)]
    /// The directory the child starts in.
    public var workingDirectory: String
    /// Files for the step's private tmpfs directory.
    public var secretFiles: [SecretFile]
    /// Variables to set to the full path of one of ``secretFiles`` (variable, file name).
    public var fileVariables: [(String, String)]
    /// The values to replace with `****` in output; empty when masking is off.
    public var maskedSecrets: [MaskedSecret]
    /// Values shorter than this are not masked.
    public var maskingMinimumLength: Int
    /// Where the files may go.
    public var isolation: IsolationPreference
    /// Whether the child gets pseudo-terminals instead of pipes.
    public var pseudoTerminals: Bool
    /// How long the step may run, if limited.
    public var timeout: Duration?
    /// How long after SIGTERM a timed-out child gets SIGKILL.
    public var killGrace: Duration

    /// An injection with every part given. A name set more than once keeps its last setting, secret and file
    /// variables winning over plain ones, so that a variable the runner inherited never shadows (or, depending on
    /// which of two copies a program reads, half-shadows) the one the step sets.
    public init(
        argv: [String], environment: [(String, String)], secretVariables: [(String, SecretValue)],
        workingDirectory: String, secretFiles: [SecretFile], fileVariables: [(String, String)],
        maskedSecrets: [MaskedSecret], maskingMinimumLength: Int, isolation: IsolationPreference,
        pseudoTerminals: Bool, timeout: Duration?, killGrace: Duration
    ) {
        self.argv = argv
        var overridden = Set(secretVariables.map(\.0) + fileVariables.map(\.0))
        if !secretFiles.isEmpty { overridden.insert(Self.secretsDirectoryVariable) }
        var kept: [(String, String)] = []
        for (name, value) in environment.reversed() where overridden.insert(name).inserted {
            kept.append((name, value))
        }
        self.environment = kept.reversed()
        self.secretVariables = secretVariables
        self.workingDirectory = workingDirectory
        self.secretFiles = secretFiles
        self.fileVariables = fileVariables
        self.maskedSecrets = maskedSecrets
        self.maskingMinimumLength = maskingMinimumLength
        self.isolation = isolation
        self.pseudoTerminals = pseudoTerminals
        self.timeout = timeout
        self.killGrace = killGrace
    }
}
