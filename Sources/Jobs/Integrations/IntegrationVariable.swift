/// The variables and file names the integrations give a command step, named once for the injection and for the
/// spec check that no step sets them itself.
enum IntegrationVariable {
    /// `huggingface_hub` reads the token from this variable first.
    static let huggingFaceToken = "HF_TOKEN"
    /// The older token variable, which would shadow the token file if the runner's environment had it.
    static let huggingFaceLegacyToken = "HUGGING_FACE_HUB_TOKEN"
    /// `huggingface_hub` reads the token from the file this names when neither variable is set.
    static let huggingFaceTokenPath = "HF_TOKEN_PATH"
    /// The token file's name in the step's secrets directory.
    static let huggingFaceTokenFile = "hf_token"
    /// The Hub's URL.
    static let huggingFaceEndpoint = "HF_ENDPOINT"
    /// The root of Hugging Face's local files.
    static let huggingFaceHome = "HF_HOME"
    /// The model cache.
    static let huggingFaceHubCache = "HF_HUB_CACHE"

    /// wandb's key variable.
    static let wandbAPIKey = "WANDB_API_KEY"
    /// Where wandb (and Python's netrc) look for the netrc file.
    static let netrc = "NETRC"
    /// The netrc file's name in the step's secrets directory.
    static let netrcFile = "netrc"
    /// The run's project.
    static let wandbProject = "WANDB_PROJECT"
    /// The run's id: the job id, so that the child's own logging and the runner's telemetry meet in one run.
    static let wandbRunID = "WANDB_RUN_ID"
    /// The run's display name: the job name.
    static let wandbName = "WANDB_NAME"
    /// The run's team or user.
    static let wandbEntity = "WANDB_ENTITY"
    /// The W&B server.
    static let wandbBaseURL = "WANDB_BASE_URL"
    /// The file a step appends its metrics to, one JSON object per line, for the runner to report.
    static let metrics = "JOBRUNNER_METRICS"
}
