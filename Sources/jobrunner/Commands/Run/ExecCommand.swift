import ArgumentParser

/// `jobrunner exec -- CMD`: the injector as a container entrypoint.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one command with secrets injected, as a container entrypoint (the sidecar).",
        discussion: """
            Same guarantees as 'run' for a single step: every reference resolved first, values masked in output, \
            files on a private tmpfs removed on every exit path, the child's exit status passed on. It also reads \
            the NeMo job backends' variable NEMO_JOB_SECRETS="ENV=ws/name,ENV2=ws/name2".

              jobrunner exec --env HF_TOKEN=default/hf-token --file wandb_key=default/wandb-key -- python3 train.py
              NEMO_JOB_SECRETS="HF_TOKEN=default/hf-token" jobrunner exec --secrets-url http://secrets:8080 \\
                  --service-token-file /run/token --owner alice -- python3 train.py
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var injection: InjectionOptions

    @Option(
        name: .customLong("env"),
        help: ArgumentHelp("Set variable NAME to the secret REF (workspace/name or name); repeatable.", valueName: "NAME=REF"))
    var environment: [String] = []

    @Option(
        name: .customLong("file"),
        help: ArgumentHelp("Write the secret REF to $JOBRUNNER_SECRETS_DIR/NAME (mode 0400); repeatable.", valueName: "NAME=REF"))
    var files: [String] = []

    @Option(help: ArgumentHelp("The workspace of bare secret names.", valueName: "ws"))
    var workspace: String = "default"

    @Option(help: ArgumentHelp("The job name recorded for this run.", valueName: "name"))
    var name: String = "exec"

    @Flag(name: .shortAndLong, help: "Print progress notes (job started, step finished) on standard error, as 'run' does.")
    var verbose = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after '--'.", valueName: "command"))
    var command: [String] = []

    /// The plain value behind these options, which ``ExecFastPath`` also builds.
    var request: ExecRequest {
        ExecRequest(
            store: store.location, injection: injection.choices, environment: environment, files: files,
            workspace: workspace, name: name, verbose: verbose, command: command)
    }

    func run() async throws {
        try await request.run()
    }
}
