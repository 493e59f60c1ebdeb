import SecretStore

extension StepSpec {
    /// Every secret the step needs, from its variables then its files, in spec order and each once, so that all
    /// of them can be resolved before the step starts.
    public var secretReferences: [SecretReference] {
        // Duplicates are dropped by a linear search, not a `Set<SecretReference>`: the first set of a type costs
        // the process a runtime conformance scan of the whole binary (a fraction of a millisecond of an
        // entrypoint's start; `Set<String>` is paid for elsewhere anyway), and a step names a handful of secrets.
        var ordered: [SecretReference] = []
        for binding in environment {
            if case let .secret(reference) = binding.source, !ordered.contains(reference) { ordered.append(reference) }
        }
        for file in files where !ordered.contains(file.reference) {
            ordered.append(file.reference)
        }
        return ordered
    }
}
