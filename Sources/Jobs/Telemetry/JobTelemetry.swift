import Foundation
import Injector
import Logging
import SecretStore
import WandBIntegration

/// The runner's own W&B telemetry for one job (`integrations.wandb` with `report: true`): the job's entry in the
/// durable outbox, each command step's metrics file (`$JOBRUNNER_METRICS`) followed into it while the step runs,
/// the rows the runner adds (step durations and exit codes), and a pusher sending in the background, also what
/// earlier runs left unsent. Nothing here fails or slows the job, except a refused key when the spec says
/// `required: true`.
final class JobTelemetry: Sendable {
    /// The outbox's file in the data directory.
    static let outboxFileName = "telemetry.sqlite"
    /// The folder of the steps' metrics files, one folder per job.
    static let metricsFolderName = "telemetry"
    /// How long the end of a job waits for W&B to take what is left before leaving it to the outbox.
    static let finalFlushTimeout: Duration = .seconds(5)
    /// The pusher's own log: silent, because every problem reaches the user once through its `onProblem`.
    static let quietLogger = Logger(label: "jobrunner.telemetry", factory: { _ in SwiftLogNoOpLogHandler() })

    let job: JobID
    let settings: WandBSettings
    let outbox: TelemetryOutbox
    let pusher: TelemetryPusher
    private let background: Task<Void, Never>
    private let metricsDirectory: String

    private init(job: JobID, settings: WandBSettings, outbox: TelemetryOutbox, pusher: TelemetryPusher, metricsDirectory: String) {
        self.job = job
        self.settings = settings
        self.outbox = outbox
        self.pusher = pusher
        self.metricsDirectory = metricsDirectory
        background = Task { await pusher.run() }
    }

    /// Registers `job` of `spec` in the outbox and starts pushing with `keys`, which already hold the job's key. With `required: true` the run is created
    /// first, so a refused key stops the job before any step runs (thrown as a message).
    static func start(
        _ spec: JobSpec, settings wandb: WandBSettings, job: JobID, run: JobRunSettings, keys: TelemetryKeys,
        records: JobRecordStore, say: @escaping @Sendable (String) -> Void
    ) async throws -> JobTelemetry {
        let outbox = try TelemetryOutbox(path: (run.dataDirectory as NSString).appendingPathComponent(outboxFileName))
        let metricsDirectory = (run.dataDirectory as NSString).appendingPathComponent("\(metricsFolderName)/\(job.rawValue)")
        try FileManager.default.createDirectory(atPath: metricsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var config: [String: TelemetryValue] = [
            "job_id": .string(job.rawValue), "job_name": .string(spec.name), "workspace": .string(spec.workspace.rawValue),
            "steps": .array(spec.steps.map { .string($0.name) }), "runner": .string("jobrunner"),
        ]
        if !spec.sourcePath.isEmpty { config["spec"] = .string(spec.sourcePath) }
        if let owner = run.owner { config["owner"] = .string(owner) }
        let baseURL = wandb.baseURL ?? run.environment[IntegrationVariable.wandbBaseURL].flatMap { $0.isEmpty ? nil : $0 }
        try await outbox.register(
            WandBRunFacts(
                jobID: job.rawValue, baseURL: baseURL, entity: wandb.entity, project: wandb.project, displayName: spec.name,
                config: config, keySecret: wandb.apiKey.description))
        // What killed runners left is taken in now, and sent along with this job's rows.
        await TelemetryMaintenance(dataDirectory: run.dataDirectory).recoverAbandoned(outbox, records: records)
        let pusher = TelemetryPusher(
            outbox: outbox, logger: quietLogger, keyProvider: { facts in await keys.key(for: facts) },
            onProblem: { failing, failure in
                say(failing == job.rawValue ? "W&B telemetry: \(failure)" : "W&B telemetry of earlier job \(failing): \(failure)")
            })
        if wandb.required {
            let results = await pusher.flush(jobID: job.rawValue, timeout: .seconds(30))
            if case let .failed(failure)? = results.first?.outcome, Self.isKeyProblem(failure) {
                throw JobTelemetryError(
                    description: "W&B telemetry is required (integrations.wandb.required: true) and cannot be sent: \(failure)")
            }
        }
        return JobTelemetry(job: job, settings: wandb, outbox: outbox, pusher: pusher, metricsDirectory: metricsDirectory)
    }

    /// The metrics file of the step at `position`: created empty (0600) for the step to append to.
    func prepareMetricsFile(forStepAt position: Int) throws -> String {
        let path = (metricsDirectory as NSString).appendingPathComponent(String(format: "step-%03d.jsonl", position + 1))
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw JobTelemetryError(description: "cannot create the metrics file \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        return path
    }

    /// Follows the metrics file at `path` into the outbox until the returned task is cancelled, then takes what
    /// is left; the stream is named after the file so a restarted runner resumes it.
    func follow(_ path: String) -> Task<MetricsFileIngestion.Progress?, Never> {
        let ingestion = MetricsFileIngestion(
            outbox: outbox, jobID: job.rawValue, path: path, stream: (path as NSString).lastPathComponent)
        return Task { try? await ingestion.follow() }
    }

    /// Adds the runner's row for a finished step: its name, position, duration and exit status.
    func recordStep(_ step: StepSpec, position: Int, duration: Duration, exitStatus: Int32) async {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        try? await outbox.appendRows(
            [[
                "runner/step": .string(step.name), "runner/step_number": .int(position + 1),
                "runner/step_duration_s": .double((seconds * 1000).rounded() / 1000), "runner/step_exit_code": .int(Int(exitStatus)),
            ]], jobID: job.rawValue)
    }

    /// Marks the job finished with `exitStatus`, gives W&B a few seconds to take the rest, stops pushing, and
    /// says what is left. Returns a message when a required telemetry could not be delivered.
    func finish(exitStatus: Int32, say: @Sendable (String) -> Void) async -> String? {
        try? await outbox.finish(jobID: job.rawValue, exitCode: exitStatus)
        let result = await pusher.flush(jobID: job.rawValue, timeout: Self.finalFlushTimeout).first
        background.cancel()
        await background.value
        try? FileManager.default.removeItem(atPath: metricsDirectory)
        guard let result else { return nil }
        switch result.outcome {
        case .complete, .upToDate:
            return nil
        case let .failed(failure) where settings.required && Self.isKeyProblem(failure):
            return "W&B telemetry is required (integrations.wandb.required: true) and was not delivered: \(failure)"
        case .failed, .timedOut:
            say(
                "W&B telemetry: \(result.rowsPending) row(s) wait in the outbox; 'jobrunner telemetry flush' sends them "
                    + "(the next run also does)")
            return nil
        }
    }

    /// Whether `failure` is about the key rather than the service.
    static func isKeyProblem(_ failure: TelemetryPushFailure) -> Bool {
        switch failure {
        case .keyRefused, .keyUnavailable: true
        default: false
        }
    }
}

/// A telemetry problem that stops a job (only with `required: true`) or a step's metrics file.
struct JobTelemetryError: Error, CustomStringConvertible {
    let description: String
}
