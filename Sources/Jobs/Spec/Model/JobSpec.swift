import SecretStore

/// A job as its spec file describes it, fully validated, so that running it needs no further checks of the file.
///
/// Each run of a spec gets its own job id; the spec itself is only the recipe.
public struct JobSpec: Sendable, Equatable {
    /// The job's name, shown in job listings and given to every step as `JOBRUNNER_JOB_NAME`.
    public var name: String
    /// The workspace that bare secret names in this spec belong to.
    public var workspace: WorkspaceName
    /// The services the steps use with credentials the runner hands them.
    public var integrations: JobIntegrations
    /// The steps in the order they run.
    public var steps: [StepSpec]
    /// The absolute path of the file the spec was read from, so that records and messages can point back to it.
    public var sourcePath: String

    /// A spec made of already validated parts; ``JobSpecLoader`` is the usual way to get one.
    public init(
        name: String, workspace: WorkspaceName, integrations: JobIntegrations = JobIntegrations(), steps: [StepSpec],
        sourcePath: String
    ) {
        self.name = name
        self.workspace = workspace
        self.integrations = integrations
        self.steps = steps
        self.sourcePath = sourcePath
    }
}
