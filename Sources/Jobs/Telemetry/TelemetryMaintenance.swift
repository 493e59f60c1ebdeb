import Foundation
import Injector
import SecretStore
import WandBIntegration

/// What `jobrunner telemetry status|flush` and every runner start do with the outbox: show what is pending, take
/// in the metrics that killed runners left behind, and send what waits.
public struct TelemetryMaintenance: Sendable {
    /// The data directory holding `telemetry.sqlite` and the steps' metrics files.
    public let dataDirectory: String

    /// Maintenance of the outbox in `dataDirectory`.
    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The outbox's path.
    public var outboxPath: String { (dataDirectory as NSString).appendingPathComponent(JobTelemetry.outboxFileName) }

    /// Whether any job ever reported telemetry here.
    public var outboxExists: Bool { FileManager.default.fileExists(atPath: outboxPath) }

    /// Rows stored, sent and pending per job (or for `job`), oldest job first; empty when nothing was recorded.
    public func status(job: String? = nil) async throws -> [TelemetryJobStatus] {
        guard outboxExists else { return [] }
        return try await TelemetryOutbox(path: outboxPath).status(jobID: job)
    }

    /// Finishes the outbox entries of jobs whose runner is gone: takes in the rest of their metrics files (from
    /// the offset the outbox stored, so nothing twice) and marks them finished with the recorded exit status, or
    /// 137 (killed) when the runner died first. Returns the jobs it finished.
    @discardableResult
    public func recoverAbandoned(_ outbox: TelemetryOutbox, records: JobRecordStore) async -> [String] {
        var recovered: [String] = []
        for status in (try? await outbox.status()) ?? [] where status.exitCode == nil {
            guard let record = try? records.job(JobID(rawValue: status.jobID)) else { continue }
            let exit: Int32
            switch record.status {
            case .running, .pending: continue
            case .abandoned: exit = 128 + SIGKILL
            default: exit = record.exitStatus ?? 1
            }
            let folder = (dataDirectory as NSString).appendingPathComponent("\(JobTelemetry.metricsFolderName)/\(status.jobID)")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
            for file in files {
                let ingestion = MetricsFileIngestion(
                    outbox: outbox, jobID: status.jobID, path: (folder as NSString).appendingPathComponent(file), stream: file)
                _ = try? await ingestion.drain()
            }
            try? await outbox.finish(jobID: status.jobID, exitCode: exit)
            try? FileManager.default.removeItem(atPath: folder)
            recovered.append(status.jobID)
        }
        return recovered
    }

    /// Sends what waits for `job` (or every job) within `timeout`, after recovering abandoned jobs; keys are
    /// resolved through `resolver` as the platform service and audited in `records`.
    public func flush(
        job: String?, resolver: any SecretResolver, records: JobRecordStore, timeout: Duration,
        say: @escaping @Sendable (String) -> Void
    ) async throws -> [TelemetryFlushResult] {
        guard outboxExists else { return [] }
        let outbox = try TelemetryOutbox(path: outboxPath)
        await recoverAbandoned(outbox, records: records)
        let keys = TelemetryKeys.audited(resolver: resolver, records: records)
        let pusher = TelemetryPusher(
            outbox: outbox, logger: JobTelemetry.quietLogger, keyProvider: { await keys.key(for: $0) }, onProblem: { job, failure in say("\(job): \(failure)") })
        return await pusher.flush(jobID: job, timeout: timeout)
    }
}

extension TelemetryKeys {
    /// Keys resolved through `resolver`, each resolution recorded in `records`' audit trail under step "telemetry".
    static func audited(resolver: any SecretResolver, records: JobRecordStore) -> TelemetryKeys {
        let principal = resolver.principalDescription
        return TelemetryKeys(resolver: resolver) { job, reference, failure in
            try? records.append([
                AuditRecord(
                    time: .now(), job: JobID(rawValue: job), step: "telemetry", reference: reference, principal: principal,
                    outcome: failure?.outcome ?? "granted", reason: failure?.description)
            ])
        }
    }
}
