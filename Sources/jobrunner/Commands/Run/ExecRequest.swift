import Foundation
import Jobs

/// Everything `jobrunner exec` was asked to do, as plain values: what ``ExecCommand`` parses with ArgumentParser
/// and what ``ExecFastPath`` parses without it. Both end in ``run()``, so they cannot behave differently once
/// parsed, and a test checks that they parse alike.
struct ExecRequest: Equatable, Sendable {
    var store = StoreLocation()
    var injection = InjectionChoices()
    /// `--env NAME=REF`, in the order given.
    var environment: [String] = []
    /// `--file NAME=REF`, in the order given.
    var files: [String] = []
    var workspace = "default"
    var name = "exec"
    var verbose = false
    /// The command and its arguments, after `--`.
    var command: [String] = []

    /// Builds the one-step job and runs it; never returns normally (it throws the exit code, as `run` does).
    func run() async throws -> Never {
        let job: JobSpec
        do {
            job = try EntrypointJob.make(
                name: name, workspace: workspace, command: command, environment: environment, files: files,
                nemoJobSecrets: getenv(EntrypointJob.nemoJobSecretsVariable).map { String(cString: $0) },
                workingDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            throw JobExecution.invalid(error)
        }
        try await JobExecution.run(job, injection: injection, store: store, announceProgress: verbose)
    }
}
