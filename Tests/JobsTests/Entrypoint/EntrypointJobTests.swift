import Jobs
import SecretStore
import Testing

/// `jobrunner exec` arguments become a one-step job with the same checks as a spec file.
struct EntrypointJobTests {
    @Test func envFilesAndNemoJobSecretsBecomeBindings() throws {
        let job = try EntrypointJob.make(
            workspace: "team", command: ["python3", "train.py"], environment: ["HF_TOKEN=hf-token"],
            files: ["wandb_key=default/wandb-key"], nemoJobSecrets: "A=ws/a, B=b", workingDirectory: "/work")
        #expect(job.workspace.rawValue == "team")
        let step = try #require(job.steps.first)
        #expect(step.command == ["python3", "train.py"])
        #expect(step.environment.map(\.name) == ["HF_TOKEN", "A", "B"])
        #expect(step.secretReferences.map(\.description) == ["team/hf-token", "ws/a", "team/b", "default/wandb-key"])
        #expect(step.files.map(\.fileName) == ["wandb_key"])
    }

    @Test func everyProblemIsReported() {
        #expect {
            try EntrypointJob.make(
                workspace: "default", command: [], environment: ["1BAD=x", "NOEQUALS", "JOBRUNNER_X=y", "OK=a/b/c"],
                files: ["../up=x", "k=x", "k=y"], nemoJobSecrets: "OK=z", workingDirectory: "/")
        } throws: { error in
            guard let error = error as? JobSpecError else { return false }
            let text = error.description
            return error.problems.count == 8 && text.contains("no command given") && text.contains("starts with a digit")
                && text.contains("is not NAME=REF") && text.contains("reserved") && text.contains("2 '/' separators")
                && text.contains("contains '/'") && text.contains("given twice") && text.contains("set twice")
        }
    }
}
