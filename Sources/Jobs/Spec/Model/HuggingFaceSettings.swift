import SecretStore

/// The job's Hugging Face settings (`integrations.huggingface`): the token every step gets, how it gets it, and
/// where the Hub and the model cache are.
public struct HuggingFaceSettings: Sendable, Equatable {
    /// The secret holding the Hub token; `nil` for public repositories only.
    public var token: SecretReference?
    /// `file` (the default): `HF_TOKEN_PATH` names a file holding the token; `env`: `HF_TOKEN`.
    public var delivery: SecretDelivery
    /// The Hub's URL (`HF_ENDPOINT`); `nil` keeps the runner's own variable, else the public Hub.
    public var endpoint: String?
    /// `HF_HOME` for the steps, absolute; `nil` keeps the runner's own.
    public var home: String?
    /// `HF_HUB_CACHE` for the steps, absolute: the model cache jobs share; `nil` keeps the runner's own.
    public var hubCache: String?

    /// Settings made of already validated parts.
    public init(
        token: SecretReference? = nil, delivery: SecretDelivery = .file, endpoint: String? = nil, home: String? = nil,
        hubCache: String? = nil
    ) {
        self.token = token
        self.delivery = delivery
        self.endpoint = endpoint
        self.home = home
        self.hubCache = hubCache
    }
}
