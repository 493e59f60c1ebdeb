/// The spec check between integrations and steps: no step sets a variable or file an integration owns, and the
/// built-in steps that need a credential have one.
struct IntegrationConflicts {
    let integrations: JobIntegrations
    let problems: SpecProblemList

    /// Reports every conflict in `steps`, which sit at `path`.
    func check(_ steps: [StepSpec], at path: SpecKeyPath) {
        let claims = IntegrationInjection.claims(of: integrations)
        for (index, step) in steps.enumerated() {
            let stepPath = path.appending(index: index)
            let line = step.line
            let variables = step.environment.map(\.name) + step.files.compactMap(\.environmentName)
            for name in variables {
                if let owner = claims.variables[name] {
                    problems.report(
                        "\(name) is set by \(owner) for every step; remove it here or change \(owner)", line: line,
                        at: stepPath.appending("env").appending(name))
                }
            }
            for file in step.files.map(\.fileName) {
                if let owner = claims.files[file] {
                    problems.report(
                        "the secrets directory's file '\(file)' is written by \(owner); choose another file name", line: line,
                        at: stepPath.appending("files").appending(file))
                }
            }
            if case .huggingFaceUpload = step.action, integrations.huggingFace?.token == nil {
                problems.report(
                    "huggingface/upload needs a token with write access; add integrations: { huggingface: { token: hf-token } }",
                    line: line, at: stepPath.appending("uses"))
            }
        }
    }
}
