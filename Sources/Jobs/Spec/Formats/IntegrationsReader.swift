import Yams

/// Reads `integrations:` of a native spec: `huggingface: { token, delivery, endpoint, home, hub_cache }` and
/// `wandb: { api_key, project, entity, base_url, delivery, report, required }`.
struct IntegrationsReader {
    /// The integrations a spec may configure.
    static let integrationKeys = ["huggingface", "wandb"]
    /// The keys of `integrations.huggingface`.
    static let huggingFaceKeys = ["token", "delivery", "endpoint", "home", "hub_cache"]
    /// The keys of `integrations.wandb`.
    static let wandbKeys = ["api_key", "project", "entity", "base_url", "delivery", "report", "required"]

    /// Shared state of this file's readers (with the job's workspace, for bare secret names).
    let context: SpecReadingContext

    private var problems: SpecProblemList { context.problems }

    /// The integrations in `entry`; empty ones when it is absent or wrong (the problems are in the list).
    func read(_ entry: SpecMapping.Entry) -> JobIntegrations {
        guard
            let integrations = SpecMapping(
                entry.value, at: entry.path, allowedKeys: Self.integrationKeys,
                expecting: "a mapping of integrations (huggingface, wandb)", problems: problems)
        else { return JobIntegrations() }
        return JobIntegrations(
            huggingFace: integrations.value("huggingface").flatMap(readHuggingFace),
            wandb: integrations.value("wandb").flatMap(readWandB))
    }

    private func readHuggingFace(_ entry: SpecMapping.Entry) -> HuggingFaceSettings? {
        guard
            let mapping = SpecMapping(
                entry.value, at: entry.path, allowedKeys: Self.huggingFaceKeys,
                expecting: "Hugging Face settings, e.g. { token: hf-token }", problems: problems)
        else { return nil }
        var settings = HuggingFaceSettings()
        settings.token = mapping.value("token").flatMap { context.reference($0) }
        if let delivery = mapping.value("delivery") { settings.delivery = context.choice(delivery, of: SecretDelivery.self) ?? .file }
        settings.endpoint = mapping.value("endpoint").flatMap { context.serviceURL($0) }
        settings.home = mapping.value("home").flatMap { context.path($0, expecting: "a directory for HF_HOME") }
        settings.hubCache = mapping.value("hub_cache").flatMap { context.path($0, expecting: "a directory for HF_HUB_CACHE") }
        return settings
    }

    private func readWandB(_ entry: SpecMapping.Entry) -> WandBSettings? {
        guard
            let mapping = SpecMapping(
                entry.value, at: entry.path, allowedKeys: Self.wandbKeys,
                expecting: "W&B settings, e.g. { api_key: wandb-key }", problems: problems)
        else { return nil }
        guard
            let apiKey = mapping.required(
                "api_key", hint: "name the secret holding the W&B API key, e.g. api_key: wandb-key", problems: problems
            ).flatMap({ context.reference($0) })
        else { return nil }
        var settings = WandBSettings(apiKey: apiKey)
        if let project = mapping.value("project") { settings.project = context.wandbName(project, kind: "project") ?? settings.project }
        settings.entity = mapping.value("entity").flatMap { context.wandbName($0, kind: "entity") }
        settings.baseURL = mapping.value("base_url").flatMap { context.serviceURL($0) }
        if let delivery = mapping.value("delivery") { settings.delivery = context.choice(delivery, of: SecretDelivery.self) ?? .env }
        if let report = mapping.value("report") { settings.report = context.flag(report) ?? true }
        if let required = mapping.value("required") { settings.required = context.flag(required) ?? false }
        return settings
    }
}
