import Foundation
import Jobs
import SecretStore
import Testing

/// A valid spec in the runner's own format becomes exactly the model the runner executes.
struct NativeSpecLoadingTests {
    @Test func validSpecRoundTripsIntoTheModel() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            name: demo
            workspace: team-a
            steps:
              - name: show
                run: [python3, train.py, --epochs, 1]
                working_dir: .
                env:
                  HF_TOKEN: { secret: hf-token }
                  WANDB_API_KEY: { secret: default/wandb-key }
                  MODE: { value: "sft" }
                  RATE: { value: 0.5 }
                files:
                  wandb_key: { secret: default/wandb-key, env: WANDB_KEY_FILE }
                  hf.token: { secret: hf-token }
                timeout_seconds: 3600
              - name: second
                run: ["/bin/echo", "a b", ""]
                working_dir: data/../out
              - name: absolute
                run: [/bin/true]
                working_dir: /opt/./models/
            """, as: "jobs/demo.yaml")

        let jobDirectory = scratch.path + "/jobs"
        #expect(spec.name == "demo")
        #expect(spec.workspace == (try WorkspaceName("team-a")))
        #expect(spec.sourcePath == jobDirectory + "/demo.yaml")
        #expect(spec.steps.map(\.name) == ["show", "second", "absolute"])

        let show = spec.steps[0]
        #expect(show.command == ["python3", "train.py", "--epochs", "1"])
        #expect(show.workingDirectory == jobDirectory)
        #expect(show.line == 4)
        #expect(show.timeout == .seconds(3600))
        #expect(
            show.environment == [
                EnvironmentBinding(name: "HF_TOKEN", source: .secret(try SecretReference(parsing: "team-a/hf-token"))),
                EnvironmentBinding(name: "WANDB_API_KEY", source: .secret(try SecretReference(parsing: "default/wandb-key"))),
                EnvironmentBinding(name: "MODE", source: .literal("sft")),
                EnvironmentBinding(name: "RATE", source: .literal("0.5")),
            ])
        #expect(
            show.files == [
                SecretFileBinding(
                    fileName: "wandb_key", reference: try SecretReference(parsing: "default/wandb-key"), environmentName: "WANDB_KEY_FILE"),
                SecretFileBinding(fileName: "hf.token", reference: try SecretReference(parsing: "team-a/hf-token"), environmentName: nil),
            ])
        // Variables first, then files, each reference once.
        #expect(show.secretReferences.map(\.description) == ["team-a/hf-token", "default/wandb-key"])

        let second = spec.steps[1]
        #expect(second.command == ["/bin/echo", "a b", ""])
        #expect(second.workingDirectory == jobDirectory + "/out")
        #expect(second.environment.isEmpty && second.files.isEmpty && second.timeout == nil)
        #expect(second.secretReferences.isEmpty)
        #expect(second.line == 16)

        #expect(spec.steps[2].workingDirectory == "/opt/models")
    }

    @Test func workspaceDefaultsToDefaultAndWorkingDirectoryToTheSpecDirectory() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            name: minimal
            steps:
              - name: only
                run: [/bin/true]
                env:
                  TOKEN: { secret: hf-token }
            """, as: "nested/dir/minimal.yml")
        #expect(spec.workspace == .default)
        #expect(spec.steps[0].workingDirectory == scratch.path + "/nested/dir")
        #expect(spec.steps[0].secretReferences == [try SecretReference(parsing: "default/hf-token")])
    }

    @Test func secretNamesWithDotsAreReferences() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            name: dots
            steps:
              - name: only
                run: [/bin/true]
                env:
                  WANDB_API_KEY: { secret: default/wandb.key.production }
            """)
        #expect(spec.steps[0].secretReferences.map(\.description) == ["default/wandb.key.production"])
    }

    @Test func relativeSpecPathsBecomeAbsolute() throws {
        let spec = try JobSpecLoader.parse(
            "name: rel\nsteps:\n  - name: a\n    run: [/bin/true]\n    working_dir: ../data\n", path: "jobs/rel.yaml")
        let current = FileManager.default.currentDirectoryPath
        #expect(spec.sourcePath == current + "/jobs/rel.yaml")
        #expect(spec.steps[0].workingDirectory == current + "/data")
    }

    @Test func jsonInTheNativeFormatLoadsToo() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            {
            \t"name": "json-native",
            \t"steps": [
            \t\t{"name": "a", "run": ["/bin/echo", "hi"], "env": {"MODE": {"value": "x"}}, "timeout_seconds": 5}
            \t]
            }
            """, as: "native.json")
        #expect(spec.steps[0].command == ["/bin/echo", "hi"])
        #expect(spec.steps[0].environment == [EnvironmentBinding(name: "MODE", source: .literal("x"))])
        #expect(spec.steps[0].timeout == .seconds(5))
    }
}
