import Foundation
import HuggingFaceIntegration
import Injector
import SecretStore

/// One run of a built-in step (`uses:`) inside the runner, with the same rules as a command step: SIGINT, SIGTERM
/// and SIGHUP stop it, its time limit stops it, its progress goes to the terminal (a bar, or lines with `-v`-style
/// progress) and always to the job log.
struct BuiltInStepExecution {
    let step: StepSpec
    let spec: JobSpec
    let job: JobID
    let settings: JobRunSettings
    let resolved: ResolutionResults
    let log: JobLog
    let relay: SignalRelay

    /// How the step ended: a status and exit status for the records, and a line saying what happened.
    struct Outcome {
        var status: RunStatus
        var exit: Int32
        var message: String
    }

    /// The exit status of a built-in step that failed (a Hub error, a missing folder): the step's own failure, as a
    /// command's exit 1 would be, not the runner's.
    static let failureExitStatus: Int32 = 1

    /// Runs the step to its end; never throws.
    func run() async -> Outcome {
        let runner = HuggingFaceStepRunner(
            settings: spec.integrations.huggingFace, token: spec.integrations.huggingFace?.token.flatMap { resolved.value(of: $0) },
            environment: settings.environment, progress: progressDisplays())
        let facts = ["JOBRUNNER_JOB_ID": job.rawValue, "JOBRUNNER_JOB_NAME": spec.name, "JOBRUNNER_STEP": step.name]
        let action = step.action
        let work = Task<String, any Error> {
            switch action {
            case let .huggingFaceDownload(download): try await runner.download(download)
            case let .huggingFaceUpload(upload): try await runner.upload(upload, facts: facts)
            case .run: throw CancellationError()
            }
        }
        relay.forward { _ in work.cancel() }
        defer { relay.stopForwarding() }
        let limit = step.timeout.map { timeout in
            Task {
                try await Task.sleep(for: timeout)
                work.cancel()
            }
        }
        defer { limit?.cancel() }

        do {
            return Outcome(status: .succeeded, exit: 0, message: try await work.value)
        } catch {
            if let signal = relay.receivedSignal {
                return Outcome(status: .interrupted, exit: 128 + signal, message: "\(action.summary) interrupted by signal \(signal)")
            }
            if let limit, limit.isCancelled == false, work.isCancelled {
                let seconds = step.timeout.map { "\($0.components.seconds) s" } ?? "its limit"
                return Outcome(
                    status: .timedOut, exit: RunnerExitStatus.timedOut, message: "\(action.summary) timed out after \(seconds) and was stopped")
            }
            let reason = (error as? HubError)?.message ?? "\(error)"
            return Outcome(status: .failed, exit: Self.failureExitStatus, message: "\(action.summary) failed: \(reason)")
        }
    }

    /// Lines in the job log always; on the runner's standard error a bar when it is a terminal, else lines when the
    /// run announces progress.
    private func progressDisplays() -> any HubTransferProgress {
        let name = step.name
        let log = self.log
        var displays: [any HubTransferProgress] = [
            ProgressLogLines { line in log.append(step: name, stream: "runner", message: line) }
        ]
        if isatty(STDERR_FILENO) == 1 {
            displays.append(TerminalProgressBar(fileDescriptor: STDERR_FILENO))
        } else if settings.announceProgress {
            displays.append(ProgressLogLines(fileDescriptor: STDERR_FILENO))
        }
        return ProgressFanOut(displays: displays)
    }
}
