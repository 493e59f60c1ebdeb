import Foundation
import Injector
import SecretStore
import WandBIntegration

/// How a run starts the runner's W&B telemetry: for its own job, and for what earlier jobs left unsent.
extension JobExecutor {
    /// Sends, while this job runs, what earlier jobs left in the telemetry outbox (when there is one): the
    /// "next runner start" that delivers rows an outage or a killed runner held back.
    func sendEarlierTelemetry(say: @escaping @Sendable (String, String) -> Void) -> Task<Void, Never>? {
        let maintenance = TelemetryMaintenance(dataDirectory: settings.dataDirectory)
        guard maintenance.outboxExists else { return nil }
        let resolver = settings.resolver
        let records = self.records
        return Task.detached {
            _ = try? await maintenance.flush(
                job: nil, resolver: resolver, records: records, timeout: .seconds(3600),
                say: { say("-", "W&B telemetry of an earlier job: \($0)") })
        }
    }

    /// Resolves the W&B key as the platform service (audited) and starts the job's telemetry. A failure is
    /// returned only when the spec requires telemetry; otherwise it is said once and the job runs without it.
    func startTelemetry(
        _ spec: JobSpec, _ wandb: WandBSettings, job: JobID, say: @escaping @Sendable (String, String) -> Void
    ) async -> Result<JobTelemetry?, JobTelemetryError> {
        let keys = TelemetryKeys.audited(resolver: settings.resolver, records: records)
        let (key, failure) = await keys.resolve(wandb.apiKey, for: job.rawValue)
        if key == nil, wandb.required {
            let reason = failure.map { "\($0)" } ?? "the secret is empty or has blanks"
            return .failure(
                JobTelemetryError(description: "W&B telemetry is required and its key \(wandb.apiKey) cannot be used: \(reason)"))
        }
        do {
            return .success(
                try await JobTelemetry.start(
                    spec, settings: wandb, job: job, run: settings, keys: keys, records: records, say: { say("-", $0) }))
        } catch let error as JobTelemetryError where wandb.required {
            return .failure(error)
        } catch {
            say("-", "W&B telemetry is off for this job: \(error)")
            return .success(nil)
        }
    }
}
