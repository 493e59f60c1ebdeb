/// What W&B needs to know about a job's run: where to send it and how to label it.
///
/// The runner registers these with ``TelemetryOutbox/register(_:)`` when a job with `integrations: wandb`
/// starts. The API key is deliberately not part of it: the outbox never stores the key.
public struct WandBRunFacts: Sendable, Equatable {
    /// The runner's job id; the W&B run id is derived from it (``runID``).
    public var jobID: String
    /// The W&B API base URL (`integrations.wandb.base_url`).
    public var baseURL: String
    /// The W&B entity (user or team); nil lets W&B use the key owner's default entity.
    public var entity: String?
    /// The W&B project.
    public var project: String
    /// The name W&B shows for the run.
    public var displayName: String
    /// The run's config: the job's facts (job id, job and step names, workspace, ...).
    public var config: [String: TelemetryValue]
    /// The secret holding the API key (`workspace/name`), so that a later `telemetry flush` can resolve it again;
    /// the key itself is never stored.
    public var keySecret: String?

    /// Facts for `jobID`, with the customizer's defaults for everything not given.
    public init(
        jobID: String, baseURL: String? = nil, entity: String? = nil, project: String? = nil, displayName: String? = nil,
        config: [String: TelemetryValue] = [:], keySecret: String? = nil
    ) {
        self.jobID = jobID
        self.baseURL = baseURL ?? WandBDefaults.baseURL
        self.entity = entity
        self.project = project ?? WandBDefaults.project
        self.displayName = displayName ?? jobID
        self.config = config
        self.keySecret = keySecret
    }

    /// The W&B run id: the job id made valid for W&B.
    public var runID: WandBRunID { WandBRunID(jobID: jobID) }
}
