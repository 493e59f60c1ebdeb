import Foundation
import Jobs
import SecretStore
import Testing

/// NeMo Platform job specs run here unchanged when they use local processes, and are refused clearly otherwise.
struct NemoPlatformSpecTests {
    static let json = """
        {
          "name": "nemo-demo",
          "steps": [
            {
              "name": "train",
              "executor": {
                "provider": "subprocess",
                "command": ["python3", "train.py", "--epochs", "1"],
                "working_dir": "work"
              },
              "environment": [
                {"name": "MODE", "value": "sft"},
                {"name": "HF_TOKEN", "from_secret": {"name": "default/hf-token"}},
                {"name": "WANDB_API_KEY", "from_secret": {"name": "wandb-key"}}
              ]
            },
            {
              "name": "report",
              "executor": {"provider": "subprocess", "command": ["/bin/true"], "working_dir": null}
            }
          ]
        }
        """

    @Test func jsonShapeLoads() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(Self.json, as: "platform.json")
        #expect(spec.name == "nemo-demo")
        #expect(spec.workspace == .default)
        #expect(spec.steps.map(\.name) == ["train", "report"])
        let train = spec.steps[0]
        #expect(train.command == ["python3", "train.py", "--epochs", "1"])
        #expect(train.workingDirectory == scratch.path + "/work")
        #expect(train.line == 4)
        #expect(
            train.environment == [
                EnvironmentBinding(name: "MODE", source: .literal("sft")),
                EnvironmentBinding(name: "HF_TOKEN", source: .secret(try SecretReference(parsing: "default/hf-token"))),
                EnvironmentBinding(name: "WANDB_API_KEY", source: .secret(try SecretReference(parsing: "default/wandb-key"))),
            ])
        #expect(train.files.isEmpty && train.timeout == nil)
        #expect(spec.steps[1].workingDirectory == scratch.path)
    }

    @Test func yamlShapeLoadsAndTakesItsNameFromTheFile() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            steps:
              - name: train
                executor:
                  provider: subprocess
                  command: [python3, train.py]
                environment:
                  - name: HF_TOKEN
                    from_secret: { name: hf-token }
            """, as: "platform-job.yaml")
        #expect(spec.name == "platform-job")
        #expect(spec.steps[0].command == ["python3", "train.py"])
        #expect(spec.steps[0].secretReferences.map(\.description) == ["default/hf-token"])
    }

    @Test func containerExecutorsAreRefused() throws {
        let scratch = try SpecScratchDirectory()
        let problems = try scratch.problems(
            """
            {
              "steps": [
                {"name": "a", "executor": {"provider": "docker", "command": ["python3"]}},
                {"name": "b", "executor": {"provider": "subprocess", "image": "nvcr.io/nvidia/nemo:latest", "command": ["x"]}},
                {"name": "c", "executor": {"provider": "kubernetes"}}
              ]
            }
            """, as: "containers.json")
        let advice = "not supported here: this runner starts local processes; use provider: subprocess"
        expectProblem(in: problems, line: 3, keyPath: "steps[0].executor.provider", containing: "'docker'", advice)
        expectProblem(in: problems, line: 4, keyPath: "steps[1].executor.image", containing: "container images", advice)
        // No complaint about the missing command of a refused executor: the refusal says what to change.
        expectProblem(in: problems, line: 5, keyPath: "steps[2].executor.provider", containing: "'kubernetes'", advice)
        #expect(problems.count == 3, "\(problems)")
    }

    @Test func platformShapeProblemsAreLocated() throws {
        let scratch = try SpecScratchDirectory()
        let problems = try scratch.problems(
            """
            {
              "name": "bad",
              "steps": [
                {
                  "name": "a",
                  "executor": {"provider": "subprocess", "command": "python3 train.py", "args": []},
                  "environment": [
                    {"name": "HF_TOKEN", "from_secret": {"name": "a/b/c"}},
                    {"name": "HF_TOKEN", "value": "x"},
                    {"name": "JOBRUNNER_STEP", "value": "x"},
                    {"name": "BOTH", "value": "x", "from_secret": {"name": "s"}},
                    {"name": "NEITHER"},
                    {"name": "EXTRA", "from_secret": {"name": "s", "key": "k"}}
                  ]
                }
              ]
            }
            """, as: "bad.json")
        expectProblem(
            in: problems, line: 6, keyPath: "steps[0].executor.command", containing: "must be a list", #"["python3", "train.py"]"#)
        expectProblem(in: problems, line: 6, keyPath: "steps[0].executor.args", containing: "unknown key 'args'", "provider, command")
        expectProblem(in: problems, line: 8, keyPath: "steps[0].environment[0].from_secret.name", containing: "2 '/' separators")
        expectProblem(in: problems, line: 9, keyPath: "steps[0].environment[1].name", containing: "already set on line 8")
        expectProblem(in: problems, line: 10, keyPath: "steps[0].environment[2].name", containing: "reserved")
        expectProblem(in: problems, line: 11, keyPath: "steps[0].environment[3]", containing: "either value or from_secret")
        expectProblem(in: problems, line: 12, keyPath: "steps[0].environment[4]", containing: "neither value nor from_secret")
        expectProblem(in: problems, line: 13, keyPath: "steps[0].environment[5].from_secret.key", containing: "unknown key 'key'")
        #expect(problems.count == 8, "\(problems.map(\.description))")
    }

    @Test func unnamedJobWithAnUnusableFileNameAsksForAName() throws {
        let scratch = try SpecScratchDirectory()
        let problems = try scratch.problems(
            #"{"steps": [{"name": "a", "executor": {"provider": "subprocess", "command": ["x"]}}]}"#, as: "my job.json")
        expectProblem(in: problems, line: nil, keyPath: "name", containing: "'my job' is not a valid job name")
    }
}
