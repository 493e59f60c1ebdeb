import ArgumentParser
import Foundation
import Injector
import Jobs
import SecretStore

/// What `run` and `exec` share once they have a validated job: clean up after killed runners, run the job, and
/// exit with its status (the runner's own failures exit 125).
enum JobExecution {
    /// Runs `spec` and never returns: it exits with the job's status, or throws the runner's own failure.
    static func run(_ spec: JobSpec, injection: InjectionChoices, store: StoreLocation, announceProgress: Bool = true)
        async throws -> Never
    {
        // Install the relay first, so a signal from now on is forwarded or remembered, never fatal to the runner.
        let relay = SignalRelay.shared
        RunnerMemoryProtection.enable()
        do {
            let environment = ProcessInfo.processInfo.environment
            let dataDirectory = try store.settings(environment: environment).dataDirectory
            var settings: JobRunSettings
            let records: JobRecordStore
            if FileManager.default.fileExists(atPath: dataDirectory) {
                // The sweep and the records database do not need the secret store: on a second core they add
                // nothing to the time before the job starts (about 2 ms of an entrypoint's 15).
                async let opening = sweepAndOpenRecords(dataDirectory: dataDirectory)
                settings = try injection.settings(store: store, workspace: spec.workspace, environment: environment)
                records = try await opening
            } else {
                // A store's first run: one after the other, so that only one of them creates the directory.
                records = try sweepAndOpenRecords(dataDirectory: dataDirectory)
                settings = try injection.settings(store: store, workspace: spec.workspace, environment: environment)
            }
            settings.announceProgress = announceProgress
            let executor = JobExecutor(settings: settings, records: records, terminal: TerminalOutput(), notice: notice)
            let outcome = try await executor.run(spec, relay: relay)
            exitKeepingStoresOpen(outcome.exitStatus, executor)
        } catch let error as ValidationError {
            throw error
        } catch let error as SecretStoreError where error.category == .invalidInput {
            throw CommandError(message: error.description, exitCode: RunnerExitStatus.invalidInput)
        } catch {
            throw CommandError(message: "\(error)", exitCode: RunnerExitStatus.runnerFailure)
        }
    }

    /// Removes what killed runners left in `/dev/shm` (saying so), then opens the job records of `dataDirectory`.
    private static func sweepAndOpenRecords(dataDirectory: String) throws -> JobRecordStore {
        let removed = SecretDirectorySweeper.sweepLeftovers()
        if removed > 0 {
            notice("removed \(removed) secret director\(removed == 1 ? "y" : "ies") left by runners that were killed")
        }
        return try JobRecordStore(dataDirectory: dataDirectory)
    }

    /// Ends the process with `status` while `executor`'s databases are still open.
    ///
    /// Closing the last connection to a SQLite database in WAL mode folds the log into the main file, syncs both
    /// and deletes the log; the next runner then creates the log again, with another write and two syncs. For an
    /// entrypoint that runs before every job that is milliseconds each time, so `run` and `exec` leave the log
    /// for the next opener instead: SQLite recovers it by design and every commit is already in it. The secrets
    /// database is only read here; the records database checkpoints on its own every 64 pages.
    private static func exitKeepingStoresOpen(_ status: Int32, _ executor: JobExecutor) -> Never {
        withExtendedLifetime(executor) { exit(status) }
    }

    /// Writes one runner note to standard error, marked as the runner's so it stands out from the child's output.
    static let notice: @Sendable (String) -> Void = { message in
        // Straight to the descriptor: the first `Data` and `FileHandle` of a process cost an entrypoint a
        // noticeable part of a millisecond, and a notice such as the development-key warning comes every run.
        var line = "jobrunner: \(message)\n"
        _ = line.withUTF8 { DescriptorWriter.writeAll(UnsafeRawBufferPointer($0), to: STDERR_FILENO) }
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
