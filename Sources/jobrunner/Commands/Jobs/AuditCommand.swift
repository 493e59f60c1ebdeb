import ArgumentParser
import Jobs

/// `jobrunner audit`: who resolved which secret for which job, and whether it worked.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit trail of secret resolutions by jobs (never the values).",
        discussion: """
            Each time a job step resolves a reference, the runner records the time, job, step, reference, the \
            principal it resolved as, and the outcome (granted, not-found, forbidden, cannot-decrypt, unreachable).

              jobrunner audit --job job-20261128-170512-a1b2c3
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only the resolutions of this run.", valueName: "job"))
    var job: String?

    @Option(help: ArgumentHelp("At most this many records (the most recent).", valueName: "n"))
    var limit: Int = 1000

    @Option(help: "Print a table, or JSON.")
    var output: OutputFormat = .table

    func run() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        let records = try store.openRecords()
        if let job, try records.job(JobID(rawValue: job)) == nil {
            throw CommandError.jobNotFound(job)
        }
        let audit = try records.auditRecords(job: job.map(JobID.init(rawValue:)), limit: limit)
        try Printer.print(audit, as: output) { audit in
            if audit.isEmpty { return "No secret resolutions recorded." }
            return Table(
                headers: ["TIME (UTC)", "JOB", "STEP", "REFERENCE", "PRINCIPAL", "OUTCOME", "REASON"],
                rows: audit.map {
                    ["\($0.time)", $0.job.rawValue, $0.step, $0.reference, $0.principal, $0.outcome, $0.reason ?? ""]
                }
            ).rendered
        }
    }
}
