import ArgumentParser

/// `jobrunner telemetry`: the runner's W&B telemetry outbox.
struct TelemetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry",
        abstract: "Show and send the W&B telemetry jobs recorded (integrations.wandb with report: true).",
        discussion: """
            A job with integrations.wandb reports to W&B through a durable outbox in DATA_DIR/telemetry.sqlite: \
            every row its steps append to $JOBRUNNER_METRICS (one JSON object per line, e.g. \
            {"step": 10, "train_loss": 0.41}) and the runner's own rows (step durations, exit codes) are stored \
            first, then sent in the background. When W&B is slow, down or refuses the key, rows wait there; the \
            next 'run' or 'exec' sends them, or 'telemetry flush' does now.

              jobrunner telemetry status
              jobrunner telemetry flush --job job-20261128-170512-a1b2c3
            """,
        subcommands: [TelemetryStatusCommand.self, TelemetryFlushCommand.self])
}
