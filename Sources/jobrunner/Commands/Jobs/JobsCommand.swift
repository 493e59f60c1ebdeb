import ArgumentParser

/// `jobrunner jobs`: the runs this data directory has recorded.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List recorded job runs and show one with its steps.",
        discussion: """
            Every 'jobrunner run' and 'jobrunner exec' records its run in DATA_DIR/jobs.sqlite. A run whose runner \
            was killed without a chance to record its end shows as 'abandoned'.

              jobrunner jobs list
              jobrunner jobs show job-20261128-170512-a1b2c3 --output json
            """,
        subcommands: [ListJobs.self, ShowJob.self])
}
