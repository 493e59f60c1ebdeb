import SecretStore

extension StepSpec {
    /// Every secret the step needs, from its variables then its files, in spec order and each once, so that all
    /// of them can be resolved before the step starts.
    public var secretReferences: [SecretReference] {
        var seen = Set<SecretReference>()
        var ordered: [SecretReference] = []
        let fromEnvironment = environment.compactMap { binding -> SecretReference? in
            if case let .secret(reference) = binding.source { return reference }
            return nil
        }
        for reference in fromEnvironment + files.map(\.reference) where seen.insert(reference).inserted {
            ordered.append(reference)
        }
        return ordered
    }
}
