import ArgumentParser
import Jobs
import SecretStore

/// `jobrunner jobs list`: recent runs, newest first.
struct ListJobs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recent job runs, newest first.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("How many runs to show.", valueName: "n"))
    var limit: Int = 20

    @Option(help: "Print a table, or JSON.")
    var output: OutputFormat = .table

    func run() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        let jobs = try store.openRecords().recentJobs(limit: limit)
        try Printer.print(jobs, as: output) { jobs in
            if jobs.isEmpty { return "No jobs recorded yet. Run one with 'jobrunner run jobs/SPEC.yaml'." }
            let rows = jobs.map { job in
                [
                    job.id.rawValue, job.name, job.status.rawValue, job.exitStatus.map(String.init) ?? "-",
                    "\(job.startedAt)", JobFormatting.duration(from: job.startedAt, to: job.finishedAt),
                ]
            }
            return Table(headers: ["JOB", "NAME", "STATUS", "EXIT", "STARTED (UTC)", "DURATION"], rows: rows).rendered
        }
    }
}
