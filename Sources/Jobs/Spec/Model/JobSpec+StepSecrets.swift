import SecretStore

extension JobSpec {
    /// Every secret `step` needs: its own, then the integrations' credentials it is handed (command steps get
    /// them all; a built-in Hugging Face step only the Hub token), each once, so that all of them are resolved
    /// before the step starts.
    public func secretReferences(of step: StepSpec) -> [SecretReference] {
        // The step's own references are distinct already (see `StepSpec.secretReferences`, which also says why
        // this is no `Set`); only the integrations' can repeat one of them.
        var references = step.secretReferences
        let credentials: [SecretReference?]
        switch step.action {
        case .run: credentials = [integrations.huggingFace?.token, integrations.wandb?.apiKey]
        case .huggingFaceDownload, .huggingFaceUpload: credentials = [integrations.huggingFace?.token]
        }
        for case let reference? in credentials where !references.contains(reference) {
            references.append(reference)
        }
        return references
    }
}
