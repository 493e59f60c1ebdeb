import Injector
import SecretStore
import Synchronization
import WandBIntegration

/// The W&B keys the runner's telemetry sends with, resolved as the platform service from the secret each job's
/// outbox entry names, once per job and process, and audited like any other resolution. The job being run hands
/// its key in already resolved.
final class TelemetryKeys: Sendable {
    private let resolver: any SecretResolver
    private let audit: @Sendable (_ job: String, _ reference: String, _ failure: ResolutionFailure?) -> Void
    private let known = Mutex<[String: WandBAPIKey?]>([:])

    init(
        resolver: any SecretResolver,
        audit: @escaping @Sendable (_ job: String, _ reference: String, _ failure: ResolutionFailure?) -> Void
    ) {
        self.resolver = resolver
        self.audit = audit
    }

    /// Remembers `key` as the key of `job`.
    func remember(_ key: WandBAPIKey?, for job: String) {
        known.withLock { $0[job] = key }
    }

    /// The key for the run of `facts`: remembered, else resolved from the secret the outbox names.
    func key(for facts: WandBRunFacts) async -> WandBAPIKey? {
        if let remembered = known.withLock({ $0[facts.jobID] }) { return remembered }
        guard let name = facts.keySecret, let reference = try? SecretReference(parsing: name) else {
            remember(nil, for: facts.jobID)
            return nil
        }
        return await resolve(reference, for: facts.jobID).key
    }

    /// Resolves `reference` as the key of `job` (audited), remembers the key, and says why there is none.
    func resolve(_ reference: SecretReference, for job: String) async -> (key: WandBAPIKey?, failure: ResolutionFailure?) {
        var key: WandBAPIKey?
        var failure: ResolutionFailure?
        switch await resolver.resolve(reference) {
        case let .success(value): key = value.revealedString().flatMap(WandBAPIKey.init)
        case let .failure(refused): failure = refused
        }
        audit(job, reference.description, failure)
        remember(key, for: job)
        return (key, failure)
    }
}
