import ArgumentParser
import Foundation

/// The `jobrunner` root command: stores secrets and runs the jobs that use them.
@main
struct JobRunner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobrunner",
        abstract: "Keep secrets for NeMo customization jobs, encrypted at rest, and run jobs with them injected.",
        discussion: """
            Secrets live in workspaces ('default' always exists) and are named workspace/secret_name, or just \
            secret_name for the default workspace. Values are envelope-encrypted with AES-256-GCM; only the \
            'secrets access' command prints one back.

            Global options (--data-dir, --config) may come before or after the command:

              printf %s "$HF_TOKEN" | jobrunner secrets create hf-token --from-file - --description "HF read token"
              jobrunner secrets list --output json
              jobrunner --data-dir /srv/jobrunner admin rotate-encryption-keys
              jobrunner run jobs/demo.yaml
              jobrunner exec --env HF_TOKEN=default/hf-token -- python3 train.py

            Data directory: --data-dir, else $JOBRUNNER_DATA_DIR, else ~/.local/share/jobrunner.
            Config file: --config, else $JOBRUNNER_CONFIG, else DATA_DIR/config.yaml when present.

            Exit codes: 0 success, 1 internal or decryption failure, 2 invalid input or usage, 3 not found, \
            5 already exists or conflicts with what is stored. 'run' and 'exec' exit with the job's status \
            instead (see 'jobrunner run --help').
            """,
        subcommands: [
            SecretsCommand.self, WorkspacesCommand.self, AdminCommand.self, AuthCommand.self, ServeCommand.self,
            RunCommand.self, ExecCommand.self, JobsCommand.self, LogsCommand.self, AuditCommand.self, TelemetryCommand.self,
        ]
    )

    /// Parses, runs, and maps every failure to one line on standard error and the documented exit code. The
    /// usual `exec` command lines skip ArgumentParser (see ``ExecFastPath``).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if let request = ExecFastPath.request(from: arguments) {
                try await request.run()
            }
            var command = try parseAsRoot(GlobalOptionPlacement.reorder(arguments, root: self))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let replacement = CommandLineFailure(error, command: self).replacement
            // A bare exit code (the job's status, or a failure already reported) has nothing to print: exit
            // directly, sparing ArgumentParser's message building, which costs `exec` milliseconds per job.
            if let code = replacement as? ExitCode { Foundation.exit(code.rawValue) }
            exit(withError: replacement)
        }
    }
}
