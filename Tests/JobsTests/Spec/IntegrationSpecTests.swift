import Foundation
import HuggingFaceIntegration
import Jobs
import SecretStore
import Testing

/// `integrations:` and the built-in steps (`uses:` / `with:`) read into the model, and every mistake in them is
/// reported where it is, before anything runs.
struct IntegrationSpecTests {
    @Test func integrationsAndBuiltInStepsRoundTripIntoTheModel() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            name: llama-lora
            workspace: team-a
            integrations:
              huggingface: { token: hf-token, delivery: env, endpoint: "http://127.0.0.1:9000/", hub_cache: cache/hub }
              wandb: { api_key: default/wandb-key, entity: my-team, base_url: https://wandb.example.com, delivery: file, required: true }
            steps:
              - name: fetch
                uses: huggingface/download
                with: { repo: org/model, revision: v1.0, repo_type: dataset, allow_patterns: "*.json", ignore_patterns: ["*.bin"], cache_dir: /data/hf }
              - name: train
                run: [python3, train.py]
              - name: publish
                uses: huggingface/upload
                with: { repo: org/model-lora, path: ./output, create: true, private: false, commit_message: "LoRA from ${JOBRUNNER_JOB_ID}" }
            """, as: "jobs/lora.yaml")
        let teamA = try WorkspaceName("team-a")
        let huggingFace = try #require(spec.integrations.huggingFace)
        #expect(huggingFace.token == SecretReference(workspace: teamA, name: try SecretName("hf-token")))
        #expect(huggingFace.delivery == .env)
        #expect(huggingFace.endpoint == "http://127.0.0.1:9000")
        #expect(huggingFace.hubCache == scratch.path + "/jobs/cache/hub")
        #expect(huggingFace.home == nil)
        let wandb = try #require(spec.integrations.wandb)
        #expect(wandb.apiKey.description == "default/wandb-key")
        #expect(wandb.project == "nvidia-nemo-customizer")
        #expect(wandb.entity == "my-team")
        #expect(wandb.baseURL == "https://wandb.example.com")
        #expect(wandb.delivery == .file && wandb.report && wandb.required)

        #expect(
            spec.steps[0].action
                == .huggingFaceDownload(
                    HuggingFaceDownloadStep(
                        repository: "org/model", kind: .dataset, revision: "v1.0", allowPatterns: ["*.json"], ignorePatterns: ["*.bin"],
                        cacheDirectory: "/data/hf")))
        #expect(spec.steps[1].command == ["python3", "train.py"])
        #expect(
            spec.steps[2].action
                == .huggingFaceUpload(
                    HuggingFaceUploadStep(
                        repository: "org/model-lora", folder: scratch.path + "/jobs/output", isPrivate: false, create: true,
                        commitMessage: "LoRA from ${JOBRUNNER_JOB_ID}")))
        // A built-in step gets the Hub token only; a command step every integration's credential.
        #expect(spec.secretReferences(of: spec.steps[0]).map(\.description) == ["team-a/hf-token"])
        #expect(spec.secretReferences(of: spec.steps[1]).map(\.description) == ["team-a/hf-token", "default/wandb-key"])
    }

    @Test func defaultsAreFileDeliveryForTheHubTokenAndTheCustomizerProject() throws {
        let spec = try SpecScratchDirectory().load(
            """
            name: d
            integrations: { huggingface: { token: hf }, wandb: { api_key: wk } }
            steps: [{ name: s, uses: huggingface/download, with: { repo: gpt2 } }]
            """)
        #expect(spec.integrations.huggingFace?.delivery == .file)
        #expect(spec.integrations.wandb?.delivery == .env)
        #expect(spec.integrations.wandb?.project == "nvidia-nemo-customizer")
        #expect(spec.integrations.wandb?.report == true && spec.integrations.wandb?.required == false)
        #expect(spec.steps[0].action == .huggingFaceDownload(HuggingFaceDownloadStep(repository: "gpt2")))
    }

    typealias Case = SpecProblemCase

    static func job(integrations: String = "{}", step: String) -> String {
        "name: demo\nintegrations: \(integrations)\nsteps:\n  - name: s\n" + step.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            + "\n"
    }

    static let cases: [Case] = [
        Case(
            label: "unknown integration", text: job(integrations: "{ wandbb: {} }", step: "run: [x]"), line: 2,
            keyPath: "integrations.wandbb", fragments: ["did you mean 'wandb'?", "huggingface, wandb"]),
        Case(
            label: "unknown Hugging Face key", text: job(integrations: "{ huggingface: { tokne: t } }", step: "run: [x]"), line: 2,
            keyPath: "integrations.huggingface.tokne", fragments: ["did you mean 'token'?"]),
        Case(
            label: "bad delivery", text: job(integrations: "{ huggingface: { token: t, delivery: stdin } }", step: "run: [x]"), line: 2,
            keyPath: "integrations.huggingface.delivery", fragments: ["'stdin' is not one of file, env"]),
        Case(
            label: "bad token reference", text: job(integrations: "{ huggingface: { token: a/b/c } }", step: "run: [x]"), line: 2,
            keyPath: "integrations.huggingface.token", fragments: ["a/b/c"]),
        Case(
            label: "endpoint that is not a URL", text: job(integrations: "{ huggingface: { endpoint: huggingface.co } }", step: "run: [x]"),
            line: 2, keyPath: "integrations.huggingface.endpoint", fragments: ["not a usable service URL"]),
        Case(
            label: "endpoint with credentials", text: job(integrations: "{ huggingface: { endpoint: \"https://u:p@hub\" } }", step: "run: [x]"),
            line: 2, keyPath: "integrations.huggingface.endpoint", fragments: ["without credentials"]),
        Case(
            label: "W&B without a key", text: job(integrations: "{ wandb: { project: p } }", step: "run: [x]"), line: 2,
            keyPath: "integrations.wandb", fragments: ["missing required key 'api_key'"]),
        Case(
            label: "W&B project with a slash", text: job(integrations: "{ wandb: { api_key: k, project: a/b } }", step: "run: [x]"),
            line: 2, keyPath: "integrations.wandb.project", fragments: ["invalid W&B project name 'a/b'"]),
        Case(
            label: "quoted boolean", text: job(integrations: "{ wandb: { api_key: k, report: \"false\" } }", step: "run: [x]"), line: 2,
            keyPath: "integrations.wandb.report", fragments: ["expected true or false (without quotes), found text"]),
        Case(
            label: "unknown built-in step", text: job(step: "uses: huggingface/downlaod\nwith: { repo: a/b }"), line: 5,
            keyPath: "steps[0].uses", fragments: ["did you mean 'huggingface/download'?", "huggingface/download, huggingface/upload"]),
        Case(
            label: "built-in step without with", text: job(step: "uses: huggingface/download"), line: 4, keyPath: "steps[0]",
            fragments: ["missing required key 'with'"]),
        Case(
            label: "built-in step with run", text: job(step: "uses: huggingface/download\nwith: { repo: a/b }\nrun: [x]"), line: 7,
            keyPath: "steps[0].run", fragments: ["'run' belongs to command steps"]),
        Case(
            label: "with but no uses", text: job(step: "run: [x]\nwith: { repo: a/b }"), line: 6, keyPath: "steps[0].with",
            fragments: ["the step has no 'uses'"]),
        Case(
            label: "download without repo", text: job(step: "uses: huggingface/download\nwith: { revision: main }"), line: 6,
            keyPath: "steps[0].with", fragments: ["missing required key 'repo'"]),
        Case(
            label: "bad repository id", text: job(step: "uses: huggingface/download\nwith: { repo: \"org/a..b\" }"), line: 6,
            keyPath: "steps[0].with.repo", fragments: ["invalid Hugging Face repository id", "'..'"]),
        Case(
            label: "three-part repository id", text: job(step: "uses: huggingface/download\nwith: { repo: a/b/c }"), line: 6,
            keyPath: "steps[0].with.repo", fragments: ["write org/name"]),
        Case(
            label: "unknown download setting", text: job(step: "uses: huggingface/download\nwith: { repo: a/b, allow_pattern: x }"),
            line: 6, keyPath: "steps[0].with.allow_pattern", fragments: ["did you mean 'allow_patterns'?"]),
        Case(
            label: "bad repo type", text: job(step: "uses: huggingface/download\nwith: { repo: a/b, repo_type: modle }"), line: 6,
            keyPath: "steps[0].with.repo_type", fragments: ["'modle' is not one of model, dataset, space"]),
        Case(
            label: "upload without path", text: job(integrations: "{ huggingface: { token: t } }", step: "uses: huggingface/upload\nwith: { repo: a/b }"),
            line: 6, keyPath: "steps[0].with", fragments: ["missing required key 'path'"]),
        Case(
            label: "upload without a token", text: job(step: "uses: huggingface/upload\nwith: { repo: a/b, path: out }"), line: 4,
            keyPath: "steps[0].uses", fragments: ["needs a token with write access"]),
        Case(
            label: "step sets the integration's token variable",
            text: job(integrations: "{ huggingface: { token: t, delivery: env } }", step: "run: [x]\nenv: { HF_TOKEN: { secret: other } }"),
            line: 4, keyPath: "steps[0].env.HF_TOKEN", fragments: ["HF_TOKEN is set by integrations.huggingface"]),
        Case(
            label: "step sets the W&B project",
            text: job(integrations: "{ wandb: { api_key: k } }", step: "run: [x]\nenv: { WANDB_PROJECT: { value: mine } }"), line: 4,
            keyPath: "steps[0].env.WANDB_PROJECT", fragments: ["WANDB_PROJECT is set by integrations.wandb"]),
        Case(
            label: "step's file takes the token file's name",
            text: job(integrations: "{ huggingface: { token: t } }", step: "run: [x]\nfiles: { hf_token: { secret: other } }"), line: 4,
            keyPath: "steps[0].files.hf_token", fragments: ["written by integrations.huggingface"]),
    ]

    @Test(arguments: cases) func eachProblemIsLocated(_ example: Case) throws {
        let problems = try SpecScratchDirectory().problems(example.text)
        example.expectLocated(in: problems)
    }
}
