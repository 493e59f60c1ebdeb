import ArgumentParser
import Jobs
import WandBIntegration

/// `jobrunner telemetry status`: rows stored, sent and pending per job.
struct TelemetryStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show rows stored, sent and pending per job, and the last problem.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only this run.", valueName: "job"))
    var job: String?

    @Option(help: "Print a table, or JSON.")
    var output: OutputFormat = .table

    /// One job's line, as `--output json` prints it.
    struct Line: Encodable {
        let job: String
        let runID: String
        let baseURL: String
        let entity: String?
        let project: String
        let rowsStored: Int
        let rowsSent: Int
        let rowsPending: Int
        let malformedLines: Int
        let exitCode: Int32?
        let state: String
        let lastProblem: String?

        enum CodingKeys: String, CodingKey {
            case job, entity, project, state
            case runID = "run_id", baseURL = "base_url", rowsStored = "rows_stored", rowsSent = "rows_sent"
            case rowsPending = "rows_pending", malformedLines = "malformed_lines", exitCode = "exit_code"
            case lastProblem = "last_problem"
        }
    }

    func run() async throws {
        let maintenance = TelemetryMaintenance(dataDirectory: try store.settings().dataDirectory)
        let statuses = try await maintenance.status(job: job)
        if let job, statuses.isEmpty { throw CommandError(message: "no telemetry recorded for job \(job)", exitCode: 3) }
        let lines = statuses.map { status in
            Line(
                job: status.jobID, runID: status.runID, baseURL: status.baseURL, entity: status.entity, project: status.project,
                rowsStored: status.rowsStored, rowsSent: status.rowsSent, rowsPending: status.rowsPending,
                malformedLines: status.malformedLines, exitCode: status.exitCode, state: status.state.rawValue,
                lastProblem: status.lastFailure.map { "\($0)" })
        }
        try Printer.print(lines, as: output) { lines in
            if lines.isEmpty { return "No telemetry recorded yet (jobs report with integrations.wandb)." }
            return Table(
                headers: ["JOB", "PROJECT", "STORED", "SENT", "PENDING", "STATE", "LAST PROBLEM"],
                rows: lines.map {
                    [
                        $0.job, [$0.entity, $0.project].compactMap { $0 }.joined(separator: "/"), "\($0.rowsStored)", "\($0.rowsSent)",
                        "\($0.rowsPending)", $0.state, $0.lastProblem ?? "",
                    ]
                }
            ).rendered
        }
    }
}
