/// One step of a job: a command to start (where, with which variables and secret files, and for how long), or a
/// built-in step of the runner.
///
/// A command is an argument vector that is executed without a shell, so no argument is ever reinterpreted.
public struct StepSpec: Sendable, Equatable {
    /// The step's name, unique within its job, given to the child as `JOBRUNNER_STEP`.
    public var name: String
    /// What the step does.
    public var action: StepAction
    /// The absolute directory the command starts in; relative paths in the spec are resolved against the spec
    /// file's directory.
    public var workingDirectory: String
    /// The variables the step sets, literal or from secrets, in spec order.
    public var environment: [EnvironmentBinding]
    /// The secrets written as files into the step's private secrets directory, in spec order.
    public var files: [SecretFileBinding]
    /// How long the step may run before it is stopped; `nil` means no limit.
    public var timeout: Duration?
    /// The 1-based line of the step in its spec file, so that run-time errors can point at it.
    public var line: Int

    /// A step made of already validated parts; ``JobSpecLoader`` is the usual way to get one.
    public init(
        name: String,
        action: StepAction,
        workingDirectory: String,
        environment: [EnvironmentBinding] = [],
        files: [SecretFileBinding] = [],
        timeout: Duration? = nil,
        line: Int
    ) {
        self.name = name
        self.action = action
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.files = files
        self.timeout = timeout
        self.line = line
    }

    /// A command step made of already validated parts.
    public init(
        name: String,
        command: [String],
        workingDirectory: String,
        environment: [EnvironmentBinding] = [],
        files: [SecretFileBinding] = [],
        timeout: Duration? = nil,
        line: Int
    ) {
        self.init(
            name: name, action: .run(command), workingDirectory: workingDirectory, environment: environment, files: files,
            timeout: timeout, line: line)
    }

    /// The program and its arguments for a command step; `nil` for a built-in step.
    public var command: [String]? {
        if case let .run(command) = action { return command }
        return nil
    }
}
