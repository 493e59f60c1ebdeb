import SecretStore

/// Turns `workspace/secret_name` references into values, acting as the platform service on behalf of a job's owner.
///
/// Two implementations exist: the embedded store read directly, and the secrets service's `/access` route.
public protocol SecretResolver: Sendable {
    /// Who resolves, as audit records name it (e.g. `service:jobrunner on behalf of alice`).
    var principalDescription: String { get }

    /// Resolves one reference, or says why it cannot be.
    func resolve(_ reference: SecretReference) async -> Result<SecretValue, ResolutionFailure>
}

extension SecretResolver {
    /// Resolves every reference (each once, in order) and reports each outcome, so that a caller can fail closed
    /// with the whole list of problems rather than the first one.
    public func resolveAll(_ references: [SecretReference]) async -> ResolutionResults {
        var results = ResolutionResults()
        for reference in references where results.outcome(of: reference) == nil {
            results.record(reference, await resolve(reference))
        }
        return results
    }
}
