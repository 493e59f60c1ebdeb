import ArgumentParser
import Foundation
import Injector
import Jobs
import SecretStore

/// What `run` and `exec` share once they have a validated job: clean up after killed runners, run the job, and
/// exit with its status (the runner's own failures exit 125).
enum JobExecution {
    /// Runs `spec` and never returns normally: it throws the exit code the process ends with.
    static func run(_ spec: JobSpec, injection: InjectionChoices, store: StoreLocation, announceProgress: Bool = true)
        async throws -> Never
    {
        // Install the relay first, so a signal from now on is forwarded or remembered, never fatal to the runner.
        let relay = SignalRelay.shared
        RunnerMemoryProtection.enable()
        let outcome: JobOutcome
        do {
            let removed = SecretDirectorySweeper.sweepLeftovers()
            if removed > 0 {
                notice("removed \(removed) secret director\(removed == 1 ? "y" : "ies") left by runners that were killed")
            }
            var settings = try injection.settings(store: store, workspace: spec.workspace)
            settings.announceProgress = announceProgress
            let executor = JobExecutor(
                settings: settings, records: try JobRecordStore(dataDirectory: settings.dataDirectory),
                terminal: TerminalOutput(), notice: notice)
            outcome = try await executor.run(spec, relay: relay)
        } catch let error as ValidationError {
            throw error
        } catch let error as SecretStoreError where error.category == .invalidInput {
            throw CommandError(message: error.description, exitCode: RunnerExitStatus.invalidInput)
        } catch {
            throw CommandError(message: "\(error)", exitCode: RunnerExitStatus.runnerFailure)
        }
        throw ExitCode(outcome.exitStatus)
    }

    /// Writes one runner note to standard error, marked as the runner's so it stands out from the child's output.
    static let notice: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("jobrunner: \(message)\n".utf8))
    }

    /// The spec's problems as `error:` lines, then exit 2: nothing ran.
    static func invalid(_ error: JobSpecError) -> CommandError {
        let lines = error.problems.map(\.description)
        let count = lines.count == 1 ? "1 problem" : "\(lines.count) problems"
        return CommandError(
            message: "the job was not started: \(count)\n" + lines.map { "  \($0)" }.joined(separator: "\n"),
            exitCode: RunnerExitStatus.invalidInput)
    }
}
