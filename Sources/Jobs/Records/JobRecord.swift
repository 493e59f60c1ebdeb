import SecretStore

/// One run of a job as the records keep it: what ran, for whom, and how it ended.
public struct JobRecord: Sendable, Codable, Equatable {
    /// The run's id.
    public var id: JobID
    /// The job's name from its spec.
    public var name: String
    /// The spec file, or nil for `jobrunner exec`.
    public var specPath: String?
    /// The job's workspace.
    public var workspace: String
    /// The user the job runs for (remote mode), if known.
    public var owner: String?
    /// Where the job stands.
    public var status: RunStatus
    /// The runner's exit status for the job, once finished.
    public var exitStatus: Int32?
    /// When the run started.
    public var startedAt: Timestamp
    /// When it finished, once finished.
    public var finishedAt: Timestamp?
    /// Why it failed, in one line (never a value).
    public var message: String?
    /// Its steps, in order.
    public var steps: [StepRecord]

    /// A run with every field given.
    public init(
        id: JobID, name: String, specPath: String?, workspace: String, owner: String?, status: RunStatus,
        exitStatus: Int32? = nil, startedAt: Timestamp, finishedAt: Timestamp? = nil, message: String? = nil,
        steps: [StepRecord]
    ) {
        self.id = id
        self.name = name
        self.specPath = specPath
        self.workspace = workspace
        self.owner = owner
        self.status = status
        self.exitStatus = exitStatus
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey {
        case id, name, workspace, owner, status, message, steps
        case specPath = "spec_path"
        case exitStatus = "exit_status"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// One step of a run.
public struct StepRecord: Sendable, Codable, Equatable {
    /// The step's position in the job, from 0.
    public var position: Int
    /// The step's name.
    public var name: String
    /// Where the step stands.
    public var status: RunStatus
    /// The step's exit status (the child's, 128+N when signalled), once finished.
    public var exitStatus: Int32?
    /// When its process started, if it did.
    public var startedAt: Timestamp?
    /// When it finished, if it did.
    public var finishedAt: Timestamp?
    /// How its secret files were isolated (`namespace` or `shared-memory`), if it had a process.
    public var isolation: String?
    /// Why it failed, in one line (never a value).
    public var message: String?

    /// A step with every field given; only its place, name and status are required.
    public init(
        position: Int, name: String, status: RunStatus, exitStatus: Int32? = nil, startedAt: Timestamp? = nil,
        finishedAt: Timestamp? = nil, isolation: String? = nil, message: String? = nil
    ) {
        self.position = position
        self.name = name
        self.status = status
        self.exitStatus = exitStatus
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.isolation = isolation
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case position, name, status, isolation, message
        case exitStatus = "exit_status"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}
