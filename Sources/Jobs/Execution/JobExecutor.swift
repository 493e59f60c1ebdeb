import Foundation
import Injector
import SecretStore

/// Runs a validated job spec step by step: resolves each step's secrets as the platform service (failing closed),
/// injects them, streams the masked output to the terminal and the job log, and records every run, step and
/// resolution.
///
/// A step starts only when the previous one succeeded; the first failure ends the job with that step's status.
public struct JobExecutor: Sendable {
    let settings: JobRunSettings
    let records: JobRecordStore
    private let terminal: any StepOutputSink
    private let notice: @Sendable (String) -> Void

    /// An executor writing records to `records`, child output to `terminal`, and runner notes through `notice`
    /// (the command line prints them on standard error).
    public init(
        settings: JobRunSettings, records: JobRecordStore, terminal: any StepOutputSink,
        notice: @escaping @Sendable (String) -> Void
    ) {
        self.settings = settings
        self.records = records
        self.terminal = terminal
        self.notice = notice
    }

    /// Runs `spec` to its end and returns how it ended; runner failures become a status, not a thrown error, once
    /// the run is recorded.
    public func run(_ spec: JobSpec, relay: SignalRelay = .shared) async throws -> JobOutcome {
        let id = JobID.generate()
        let steps = spec.steps.enumerated().map { StepRecord(position: $0.offset, name: $0.element.name, status: .pending) }
        try records.begin(
            JobRecord(
                id: id, name: spec.name, specPath: spec.sourcePath.isEmpty ? nil : spec.sourcePath,
                workspace: spec.workspace.rawValue, owner: settings.owner, status: .running, startedAt: .now(),
                steps: steps),
            runner: .current)
        let log = try JobLog(job: id, dataDirectory: settings.dataDirectory)
        let say: @Sendable (String, String) -> Void = { step, message in
            log.append(step: step, stream: "runner", message: message)
            notice(message)
        }
        let progress: @Sendable (String, String) -> Void = { [settings] step, message in
            log.append(step: step, stream: "runner", message: message)
            if settings.announceProgress { notice(message) }
        }
        progress("-", "job \(spec.name) started as \(id) with \(spec.steps.count) step(s); 'jobrunner logs \(id)' shows its log")

        var telemetry: JobTelemetry?
        let earlierTelemetry = spec.integrations.wandb?.report == true ? nil : sendEarlierTelemetry(say: say)
        defer { earlierTelemetry?.cancel() }
        if let wandb = spec.integrations.wandb, wandb.report {
            switch await startTelemetry(spec, wandb, job: id, say: say) {
            case let .success(started): telemetry = started
            case let .failure(failure):
                return try await end(
                    id, steps: steps, from: 0, status: .failed, exit: RunnerExitStatus.runnerFailure, message: failure.description,
                    telemetry: nil, say: say)
            }
        }

        for (position, step) in spec.steps.enumerated() {
            if let signal = relay.receivedSignal {
                return try await end(
                    id, steps: steps, from: position, status: .interrupted, exit: 128 + signal,
                    message: "interrupted by signal \(signal) before step \(step.name)", telemetry: telemetry, say: say)
            }
            let started = ContinuousClock.now
            let result = await runStep(
                step, position: position, of: spec, job: id, log: log, relay: relay, telemetry: telemetry, say: say,
                progress: progress)
            await telemetry?.recordStep(step, position: position, duration: ContinuousClock.now - started, exitStatus: result.exit)
            if result.status != .succeeded {
                return try await end(
                    id, steps: steps, from: position + 1, status: result.status, exit: result.exit,
                    message: result.message, telemetry: telemetry, say: say)
            }
        }
        if let failure = await telemetry?.finish(exitStatus: 0, say: { say("-", $0) }) {
            return try await end(
                id, steps: steps, from: steps.count, status: .failed, exit: RunnerExitStatus.runnerFailure, message: failure,
                telemetry: nil, say: say)
        }
        try records.finish(id, status: .succeeded, exitStatus: 0, message: nil)
        progress("-", "job \(spec.name) (\(id)) succeeded")
        return JobOutcome(job: id, status: .succeeded, exitStatus: 0)
    }

    /// Marks the steps from `position` on as skipped and the job as ended (telemetry included).
    private func end(
        _ id: JobID, steps: [StepRecord], from position: Int, status: RunStatus, exit: Int32, message: String?,
        telemetry: JobTelemetry?, say: @escaping @Sendable (String, String) -> Void
    ) async throws -> JobOutcome {
        for var step in steps[position...] {
            step.status = .skipped
            try records.update(step, of: id)
        }
        if let failure = await telemetry?.finish(exitStatus: exit, say: { say("-", $0) }) { say("-", failure) }
        try records.finish(id, status: status, exitStatus: exit, message: message)
        say("-", "job \(id) \(status.rawValue) with exit status \(exit)" + (message.map { ": \($0)" } ?? ""))
        return JobOutcome(job: id, status: status, exitStatus: exit)
    }

    private struct StepResult {
        var status: RunStatus
        var exit: Int32
        var message: String?
    }

    /// Resolves, injects and runs one step, recording it; never throws, so the job always gets an end.
    private func runStep(
        _ step: StepSpec, position: Int, of spec: JobSpec, job: JobID, log: JobLog, relay: SignalRelay, telemetry: JobTelemetry?,
        say: @escaping @Sendable (String, String) -> Void, progress: @escaping @Sendable (String, String) -> Void
    ) async -> StepResult {
        var record = StepRecord(position: position, name: step.name, status: .running, startedAt: .now())

        // Resolve every reference before anything is created; audit each outcome. The audit records are saved with
        // the step's next state (its start, or how it failed), before any value reaches a child or a built-in step.
        let references = spec.secretReferences(of: step)
        let resolved = await settings.resolver.resolveAll(references)
        var unsavedAudit = resolved.outcomes.map { outcome in
            let failure: ResolutionFailure? = if case let .failure(failure) = outcome.result { failure } else { nil }
            return AuditRecord(
                time: .now(), job: job, step: step.name, reference: outcome.reference.description,
                principal: settings.resolver.principalDescription, outcome: failure?.outcome ?? "granted",
                reason: failure?.description)
        }
        func save() throws {
            try records.update(record, of: job, appending: unsavedAudit)
            unsavedAudit = []
        }
        func finish(_ status: RunStatus, exit: Int32, message: String?) -> StepResult {
            record.status = status
            record.exitStatus = exit
            record.finishedAt = .now()
            record.message = message
            try? save()
            return StepResult(status: status, exit: exit, message: message.map { "step \(step.name): \($0)" })
        }
        do {
            try resolved.requireAll()
        } catch {
            say(step.name, "step \(step.name): \(error.description)")
            return finish(.failed, exit: RunnerExitStatus.runnerFailure, message: "secret resolution failed")
        }

        guard case let .run(command) = step.action else {
            try? save()
            progress(step.name, "step \(position + 1)/\(spec.steps.count) \(step.name): starting \(step.action.summary)")
            let outcome = await BuiltInStepExecution(
                step: step, spec: spec, job: job, settings: settings, resolved: resolved, log: log, relay: relay
            ).run()
            if outcome.status == .succeeded {
                progress(step.name, "step \(step.name): \(outcome.message)")
                return finish(.succeeded, exit: 0, message: nil)
            }
            say(step.name, "step \(step.name): \(outcome.message)")
            return finish(outcome.status, exit: outcome.exit, message: outcome.message)
        }
        let injection: StepInjection
        let metricsPath: String?
        do {
            metricsPath = try telemetry?.prepareMetricsFile(forStepAt: position)
            injection = try plan(step, command: command, of: spec, job: job, resolved: resolved, metricsPath: metricsPath)
        } catch {
            say(step.name, "step \(step.name): \(error)")
            return finish(.failed, exit: RunnerExitStatus.runnerFailure, message: "\(error)")
        }
        if !settings.masking {
            say(step.name, "warning: masking is off (--no-masking): secret values printed by the step appear as is")
        }

        let sink = JobOutputSink(terminal: terminal, log: log, step: step.name)
        progress(
            step.name,
            "step \(position + 1)/\(spec.steps.count) \(step.name): starting \(step.action.summary) with "
                + "\(step.environment.count) variable(s) and \(step.files.count) secret file(s)")
        do {
            try save()
            let metrics = metricsPath.flatMap { telemetry?.follow($0) }
            let outcome: StepOutcome
            do {
                outcome = try await StepRunner.run(injection, output: sink, relay: relay) { note in
                    say(step.name, note)
                }
                metrics?.cancel()
                if let ingested = await metrics?.value, ingested.malformedLines > 0 {
                    say(step.name, "step \(step.name): \(ingested.malformedLines) line(s) in $JOBRUNNER_METRICS were not JSON objects and were skipped")
                }
            } catch {
                metrics?.cancel()
                _ = await metrics?.value
                throw error
            }
            record.isolation = outcome.isolation
            let status = outcome.exit.shellStatus
            if outcome.timedOut {
                let limit = step.timeout.map { "\($0.components.seconds) s" } ?? "its limit"
                say(step.name, "step \(step.name) timed out after \(limit) and was stopped (\(outcome.exit))")
                return finish(.timedOut, exit: RunnerExitStatus.timedOut, message: "timed out after \(limit)")
            }
            if let signal = relay.receivedSignal {
                say(step.name, "step \(step.name) interrupted by signal \(signal); it ended with \(outcome.exit)")
                return finish(.interrupted, exit: status, message: "interrupted by signal \(signal)")
            }
            if status == 0 {
                progress(step.name, "step \(step.name) succeeded")
                return finish(.succeeded, exit: 0, message: nil)
            }
            say(step.name, "step \(step.name) failed: \(outcome.exit)")
            return finish(.failed, exit: status, message: "\(outcome.exit)")
        } catch let error as LaunchError {
            say(step.name, "step \(step.name): \(error)")
            return finish(.failed, exit: error.exitStatus, message: "\(error)")
        } catch {
            say(step.name, "step \(step.name): \(error)")
            return finish(.failed, exit: RunnerExitStatus.runnerFailure, message: "\(error)")
        }
    }

    /// Everything the injector needs for one step: the child's environment (inherited part, the step's
    /// variables, the runner's job variables), its secret files and the values to mask.
    private func plan(
        _ step: StepSpec, command: [String], of spec: JobSpec, job: JobID, resolved: ResolutionResults, metricsPath: String?
    ) throws -> StepInjection {
        let integrations = try IntegrationInjection(
            spec.integrations, job: job.rawValue, jobName: spec.name, environment: settings.environment, metricsPath: metricsPath,
            value: resolved.value(of:))
        var environment = ChildEnvironment.inherited(
            from: settings.environment, clean: settings.cleanEnvironment,
            privateVariables: settings.privateVariables.union(integrations.removedVariables))
        environment += integrations.variables
        var secretVariables: [(String, SecretValue)] = integrations.secretVariables
        for binding in step.environment {
            switch binding.source {
            case let .literal(text):
                environment.append((binding.name, text))
            case let .secret(reference):
                guard let value = resolved.value(of: reference) else { continue }
                secretVariables.append((binding.name, value))
            }
        }
        environment.append(("JOBRUNNER_JOB_ID", job.rawValue))
        environment.append(("JOBRUNNER_JOB_NAME", spec.name))
        environment.append(("JOBRUNNER_STEP", step.name))

        var files = integrations.files
        var fileVariables = integrations.fileVariables
        for binding in step.files {
            guard let value = resolved.value(of: binding.reference) else { continue }
            files.append(SecretFile(name: binding.fileName, value: value))
            if let variable = binding.environmentName { fileVariables.append((variable, binding.fileName)) }
        }
        var masked = integrations.masked
        for reference in step.secretReferences {
            if let value = resolved.value(of: reference) {
                masked.append(MaskedSecret(label: reference.description, value: value))
            }
        }
        return try StepInjection(
            argv: command, environment: environment, secretVariables: secretVariables, workingDirectory: step.workingDirectory,
            secretFiles: files, fileVariables: fileVariables, maskedSecrets: settings.masking ? masked : [],
            maskingMinimumLength: settings.maskingMinimumLength, isolation: settings.isolation,
            pseudoTerminals: settings.pseudoTerminals, timeout: step.timeout, killGrace: settings.killGrace)
    }
}
