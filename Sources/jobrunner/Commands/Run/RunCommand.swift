import ArgumentParser
import Foundation
import Jobs

/// `jobrunner run SPEC`: runs a job spec's steps with their secrets injected.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job spec: resolve each step's secrets, inject them, stream masked output, record the run.",
        discussion: """
            The whole spec is validated first (every problem is listed with its line; exit 2, nothing runs). \
            Each step then resolves all its references as the platform service (the local store, or \
            --secrets-url on behalf of --owner); if any fails, the step does not start and every failure is listed. \
            Secrets reach the child as environment variables or as files in $JOBRUNNER_SECRETS_DIR, a private \
            tmpfs removed when the step ends. Output shows **** where a secret value was printed.

            integrations: hands a Hugging Face token (HF_TOKEN_PATH or HF_TOKEN) and a W&B key (WANDB_API_KEY or a \
            netrc) to every step; with W&B the runner also reports each step's rows written to $JOBRUNNER_METRICS \
            (one JSON object per line) to the project nvidia-nemo-customizer (see 'jobrunner telemetry --help'). \
            Built-in steps: 'uses: huggingface/download' and 'uses: huggingface/upload' with their settings under \
            'with:' (see the README).

              jobrunner run jobs/demo.yaml
              jobrunner run jobs/train.yaml --secrets-url http://secrets:8080 --service-token-file /run/token --owner alice

            Exit status: the failing step's (128+N when it died of signal N), 0 when all steps succeed; 2 invalid \
            spec, 124 a step timed out, 125 the runner failed (e.g. a secret could not be resolved), 126 the command \
            cannot be executed, 127 it was not found.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var injection: InjectionOptions

    @Argument(help: ArgumentHelp("The job spec (YAML or JSON), e.g. jobs/demo.yaml.", valueName: "spec"))
    var spec: String

    func run() async throws {
        let job: JobSpec
        do {
            job = try JobSpecLoader.load(path: spec)
        } catch let error as JobSpecError {
            throw JobExecution.invalid(error)
        }
        try await JobExecution.run(job, injection: injection.choices, store: store.location)
    }
}
