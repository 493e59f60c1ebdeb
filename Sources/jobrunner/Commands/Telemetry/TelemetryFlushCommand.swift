import ArgumentParser
import Foundation
import Jobs
import WandBIntegration

/// `jobrunner telemetry flush`: send what waits in the outbox now.
struct TelemetryFlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Send the telemetry that waits in the outbox, resolving each job's W&B key as the platform service.",
        discussion: """
            Rows of jobs whose runner was killed are taken in from their metrics files first (nothing is sent \
            twice). Exits 0 when W&B has every row, 1 when some are still waiting (the reason is printed), 3 when \
            --job names no job with telemetry.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var injection: InjectionOptions

    @Option(help: ArgumentHelp("Only this run.", valueName: "job"))
    var job: String?

    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
    var timeout: Int = 60

    func run() async throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1 second") }
        var injection = self.injection.choices
        // The keys were allowed when the jobs ran; a flush sends for every workspace it finds.
        injection.allowCrossWorkspace = true
        let settings = try injection.settings(store: store.location, workspace: .default)
        let maintenance = TelemetryMaintenance(dataDirectory: settings.dataDirectory)
        let results = try await maintenance.flush(
            job: job, resolver: settings.resolver, records: try store.openRecords(), timeout: .seconds(timeout),
            say: { _ in })
        if let job, results.isEmpty { throw CommandError(message: "no telemetry recorded for job \(job)", exitCode: 3) }
        if results.isEmpty {
            print("No telemetry recorded yet.")
            return
        }
        var waiting = 0
        for result in results {
            switch result.outcome {
            case .complete: print("\(result.jobID): complete, \(result.rowsSent) row(s) sent")
            case .upToDate: print("\(result.jobID): up to date, \(result.rowsSent) row(s) sent (the job is still running)")
            case let .failed(failure):
                waiting += 1
                print("\(result.jobID): \(result.rowsPending) row(s) waiting: \(failure)")
            case let .timedOut(failure):
                waiting += 1
                print("\(result.jobID): \(result.rowsPending) row(s) waiting after \(timeout) s" + (failure.map { ": \($0)" } ?? ""))
            }
        }
        if waiting > 0 { throw ExitCode(1) }
    }
}
