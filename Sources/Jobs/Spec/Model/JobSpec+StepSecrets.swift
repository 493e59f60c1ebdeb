import SecretStore

extension JobSpec {
    /// Every secret `step` needs: its own, then the integrations' credentials it is handed (command steps get
    /// them all; a built-in Hugging Face step only the Hub token), each once, so that all of them are resolved
    /// before the step starts.
    public func secretReferences(of step: StepSpec) -> [SecretReference] {
        var references = step.secretReferences
        switch step.action {
        case .run:
            references += [integrations.huggingFace?.token, integrations.wandb?.apiKey].compactMap { $0 }
        case .huggingFaceDownload, .huggingFaceUpload:
            references += [integrations.huggingFace?.token].compactMap { $0 }
        }
        var seen = Set<SecretReference>()
        return references.filter { seen.insert($0).inserted }
    }
}
