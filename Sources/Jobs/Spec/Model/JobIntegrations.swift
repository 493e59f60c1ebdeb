/// The services a job's steps talk to with credentials the runner hands them (`integrations:` in a spec).
public struct JobIntegrations: Sendable, Equatable {
    /// Hugging Face: a token for the steps and the built-in download and upload steps.
    public var huggingFace: HuggingFaceSettings?
    /// Weights & Biases: a key for the steps and the runner's telemetry.
    public var wandb: WandBSettings?

    /// Integrations made of already validated parts; none by default.
    public init(huggingFace: HuggingFaceSettings? = nil, wandb: WandBSettings? = nil) {
        self.huggingFace = huggingFace
        self.wandb = wandb
    }
}
