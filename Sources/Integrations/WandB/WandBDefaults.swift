/// Where the runner's telemetry goes when a spec says nothing else.
public enum WandBDefaults {
    /// The project the customizer reports to, under the user's entity.
    public static let project = "nvidia-nemo-customizer"
    /// The public W&B API.
    public static let baseURL = "https://api.wandb.ai"
}
