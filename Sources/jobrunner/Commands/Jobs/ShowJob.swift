import ArgumentParser
import Jobs
import SecretStore

/// `jobrunner jobs show JOB`: one run and its steps.
struct ShowJob: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one job run with its steps, statuses and exit codes.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The job id, as 'jobs list' prints it.", valueName: "job"))
    var job: String

    @Option(help: "Print key: value lines and a step table, or JSON.")
    var output: OutputFormat = .table

    func run() throws {
        guard let record = try store.openRecords().job(JobID(rawValue: job)) else {
            throw CommandError.jobNotFound(job)
        }
        try Printer.print(record, as: output) { job in
            let summary = Table(
                headers: nil,
                rows: [
                    ["Job:", job.id.rawValue],
                    ["Name:", job.name],
                    ["Spec:", job.specPath ?? "- (jobrunner exec)"],
                    ["Workspace:", job.workspace],
                    ["Owner:", job.owner ?? "-"],
                    ["Status:", job.status.rawValue + (job.message.map { " (\($0))" } ?? "")],
                    ["Exit status:", job.exitStatus.map(String.init) ?? "-"],
                    ["Started (UTC):", "\(job.startedAt)"],
                    ["Duration:", JobFormatting.duration(from: job.startedAt, to: job.finishedAt)],
                ]
            ).rendered
            let steps = Table(
                headers: ["STEP", "STATUS", "EXIT", "DURATION", "ISOLATION", "MESSAGE"],
                rows: job.steps.map { step in
                    [
                        step.name, step.status.rawValue, step.exitStatus.map(String.init) ?? "-",
                        step.startedAt.map { JobFormatting.duration(from: $0, to: step.finishedAt) } ?? "-",
                        step.isolation ?? "-", step.message ?? "",
                    ]
                }
            ).rendered
            return summary + "\n\n" + steps
        }
    }
}
