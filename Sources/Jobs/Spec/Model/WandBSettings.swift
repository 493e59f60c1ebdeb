import SecretStore
import WandBIntegration

/// The job's Weights & Biases settings (`integrations.wandb`): the key the steps and the runner's own telemetry
/// use, and where the run goes.
public struct WandBSettings: Sendable, Equatable {
    /// The secret holding the W&B API key.
    public var apiKey: SecretReference
    /// The project runs are logged under; the customizer's own by default.
    public var project: String
    /// The team or user owning the project; `nil` means the key's own user.
    public var entity: String?
    /// The W&B server; `nil` means the public service.
    public var baseURL: String?
    /// `env` (the default): `WANDB_API_KEY`; `file`: a netrc file named by `NETRC`, which wandb reads.
    public var delivery: SecretDelivery
    /// Whether the runner reports the job's metrics to W&B itself.
    public var report: Bool
    /// Whether the job fails when its telemetry cannot be delivered (a rejected key); by default it does not.
    public var required: Bool

    /// Settings made of already validated parts.
    public init(
        apiKey: SecretReference, project: String = WandBDefaults.project, entity: String? = nil, baseURL: String? = nil,
        delivery: SecretDelivery = .env, report: Bool = true, required: Bool = false
    ) {
        self.apiKey = apiKey
        self.project = project
        self.entity = entity
        self.baseURL = baseURL
        self.delivery = delivery
        self.report = report
        self.required = required
    }
}
