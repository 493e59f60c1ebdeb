import Foundation
import Jobs
import Testing

/// Every kind of mistake in a native spec is reported with the line and key path where it is, and a message that
/// says how to fix it.
struct SpecValidationTests {
    typealias Case = SpecProblemCase

    /// A valid spec with `stepExtra` appended to its only step (indented under it), as lines 1-5 plus the extra.
    static func step(_ stepExtra: String) -> String {
        "name: demo\nsteps:\n  - name: show\n    run: [python3, train.py]\n"
            + stepExtra.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    static let cases: [Case] = [
        Case(
            label: "unknown top-level key", text: "name: demo\nintegraions: {}\nsteps: [{name: a, run: [x]}]\n", line: 2,
            keyPath: "integraions",
            fragments: ["unknown key 'integraions' (did you mean 'integrations'?)", "allowed keys here: name, workspace, integrations, steps"]),
        Case(
            label: "unknown step key", text: step("use: huggingface/download"), line: 5, keyPath: "steps[0].use",
            fragments: ["unknown key 'use'", "name, run, uses, with, working_dir, env, files, timeout_seconds"]),
        Case(
            label: "misspelt key", text: step("enviroment: {}"), line: 5, keyPath: "steps[0].enviroment",
            fragments: ["unknown key 'enviroment'"]),
        Case(
            label: "platform-style environment mapping in a native step", text: step("environment:\n  A: { value: x }"), line: 5,
            keyPath: "steps[0].environment", fragments: ["unknown key 'environment'", "env, files"]),
        Case(
            label: "misspelt key with a suggestion", text: "name: demo\nsteps:\n  - nme: a\n    run: [x]\n    name: a\n", line: 3,
            keyPath: "steps[0].nme", fragments: ["unknown key 'nme' (did you mean 'name'?)"]),
        Case(
            label: "key that is not text", text: step("env:\n  [A, B]: { value: x }"), line: 6, keyPath: "steps[0].env",
            fragments: ["a key must be text, found a list"]),
        Case(
            label: "argument with NUL", text: "name: demo\nsteps:\n  - name: a\n    run: [x, \"a\\0b\"]\n", line: 4,
            keyPath: "steps[0].run[1]", fragments: ["NUL character"]),
        Case(
            label: "null argument", text: "name: demo\nsteps:\n  - name: a\n    run: [x, ~]\n", line: 4,
            keyPath: "steps[0].run[1]", fragments: ["expected text (one argument), found nothing (null)"]),
        Case(
            label: "empty working directory", text: step("working_dir: \"\""), line: 5, keyPath: "steps[0].working_dir",
            fragments: ["invalid working directory: it is empty"]),
        Case(
            label: "missing job name", text: "steps:\n  - name: a\n    run: [x]\n", line: 1, keyPath: "",
            fragments: ["missing required key 'name'"]),
        Case(
            label: "missing run", text: "name: demo\nsteps:\n  - name: a\n    env: {}\n", line: 3, keyPath: "steps[0]",
            fragments: ["missing required key 'run'", "run: [python3, train.py]"]),
        Case(
            label: "missing step name", text: "name: demo\nsteps:\n  - run: [x]\n", line: 3, keyPath: "steps[0]",
            fragments: ["missing required key 'name'"]),
        Case(
            label: "steps of the wrong type", text: "name: demo\nsteps:\n  a: 1\n", line: 3, keyPath: "steps",
            fragments: ["expected a list of steps, found a mapping"]),
        Case(
            label: "name of the wrong type", text: "name: [a]\nsteps: [{name: a, run: [x]}]\n", line: 1, keyPath: "name",
            fragments: ["expected a job name, found a list"]),
        Case(
            label: "step that is not a mapping", text: "name: demo\nsteps:\n  - just text\n", line: 3, keyPath: "steps[0]",
            fragments: ["expected a step", "found text"]),
        Case(
            label: "env of the wrong type", text: step("env: [A, B]"), line: 5, keyPath: "steps[0].env",
            fragments: ["expected a mapping of variable names", "found a list"]),
        Case(label: "empty steps", text: "name: demo\nsteps: []\n", line: 2, keyPath: "steps", fragments: ["the job has no steps"]),
        Case(
            label: "null steps", text: "name: demo\nsteps:\n", line: 2, keyPath: "steps", fragments: ["'steps' is empty"]),
        Case(
            label: "empty run", text: "name: demo\nsteps:\n  - name: a\n    run: []\n", line: 4, keyPath: "steps[0].run",
            fragments: ["'run' is empty"]),
        Case(
            label: "run as one string", text: "name: demo\nsteps:\n  - name: a\n    run: python3 train.py --epochs 1\n", line: 4,
            keyPath: "steps[0].run",
            fragments: ["must be a list of arguments", "no shell", #"run: ["python3", "train.py", "--epochs", "1"]"#]),
        Case(
            label: "run as a shell pipeline", text: "name: demo\nsteps:\n  - name: a\n    run: cat log | grep loss\n", line: 4,
            keyPath: "steps[0].run", fragments: [#"run: ["sh", "-c", "cat log | grep loss"]"#]),
        Case(
            label: "argument that is a list", text: "name: demo\nsteps:\n  - name: a\n    run:\n      - python3\n      - [a, b]\n",
            line: 6, keyPath: "steps[0].run[1]", fragments: ["expected text (one argument), found a list"]),
        Case(
            label: "empty program name", text: "name: demo\nsteps:\n  - name: a\n    run: ['', x]\n", line: 4,
            keyPath: "steps[0].run[0]", fragments: ["the program name is empty"]),
        Case(
            label: "reference with too many parts", text: step("env:\n  HF_TOKEN: { secret: a/b/c }"), line: 6,
            keyPath: "steps[0].env.HF_TOKEN.secret", fragments: ["invalid secret reference 'a/b/c': it has 2 '/' separators"]),
        Case(
            label: "reference with a bad character", text: step("env:\n  HF_TOKEN: { secret: \"default/hf token\" }"), line: 6,
            keyPath: "steps[0].env.HF_TOKEN.secret", fragments: ["invalid secret reference", "' ' (space)"]),
        Case(
            label: "empty reference", text: step("env:\n  HF_TOKEN: { secret: }"), line: 6,
            keyPath: "steps[0].env.HF_TOKEN.secret", fragments: ["the secret reference is empty"]),
        Case(
            label: "bad file reference", text: step("files:\n  key:\n    secret: /x"), line: 7, keyPath: "steps[0].files.key.secret",
            fragments: ["invalid secret reference '/x'"]),
        Case(
            label: "invalid workspace", text: "name: demo\nworkspace: team a\nsteps: [{name: a, run: [x]}]\n", line: 2,
            keyPath: "workspace", fragments: ["invalid workspace name 'team a'"]),
        Case(
            label: "env name starting with a digit", text: step("env:\n  1BAD: { value: x }"), line: 6, keyPath: "steps[0].env.1BAD",
            fragments: ["invalid environment variable name '1BAD'", "starts with a digit"]),
        Case(
            label: "env name with a dash", text: step("env:\n  BAD-NAME: { value: x }"), line: 6, keyPath: "steps[0].env.BAD-NAME",
            fragments: ["invalid environment variable name 'BAD-NAME'", "character 4"]),
        Case(
            label: "env name with a dot", text: step("env:\n  a.b: { value: x }"), line: 6, keyPath: #"steps[0].env["a.b"]"#,
            fragments: ["invalid environment variable name 'a.b'"]),
        Case(
            label: "file env name invalid", text: step("files:\n  key: { secret: s, env: 'X Y' }"), line: 6,
            keyPath: "steps[0].files.key.env", fragments: ["invalid environment variable name 'X Y'"]),
        Case(
            label: "reserved env name", text: step("env:\n  JOBRUNNER_JOB_ID: { value: x }"), line: 6,
            keyPath: "steps[0].env.JOBRUNNER_JOB_ID", fragments: ["reserved", "JOBRUNNER_"]),
        Case(
            label: "reserved file env name", text: step("files:\n  key: { secret: s, env: JOBRUNNER_SECRETS_DIR }"), line: 6,
            keyPath: "steps[0].files.key.env", fragments: ["'JOBRUNNER_SECRETS_DIR' is reserved"]),
        Case(
            label: "env name set by env and by a file", text: step("env:\n  KEY_FILE: { value: x }\nfiles:\n  key: { secret: s, env: KEY_FILE }"),
            line: 8, keyPath: "steps[0].files.key.env", fragments: ["'KEY_FILE' is already set on line 6"]),
        Case(
            label: "env name set by two files",
            text: step("files:\n  a: { secret: s, env: KEY_FILE }\n  b: { secret: s, env: KEY_FILE }"),
            line: 7, keyPath: "steps[0].files.b.env", fragments: ["'KEY_FILE' is already set on line 6"]),
        Case(
            label: "file name with a slash", text: step("files:\n  a/b: { secret: s }"), line: 6, keyPath: #"steps[0].files["a/b"]"#,
            fragments: ["unsafe file name 'a/b'", "'/'"]),
        Case(
            label: "file name ..", text: step("files:\n  ..: { secret: s }"), line: 6, keyPath: #"steps[0].files[".."]"#,
            fragments: ["unsafe file name '..'"]),
        Case(
            label: "file name .", text: step("files:\n  .: { secret: s }"), line: 6, keyPath: #"steps[0].files["."]"#,
            fragments: ["unsafe file name '.'"]),
        Case(
            label: "file name climbing out", text: step("files:\n  ../escape: { secret: s }"), line: 6,
            keyPath: #"steps[0].files["../escape"]"#, fragments: ["unsafe file name '../escape'"]),
        Case(
            label: "empty file name", text: step("files:\n  \"\": { secret: s }"), line: 6, keyPath: #"steps[0].files[""]"#,
            fragments: ["unsafe file name ''", "empty"]),
        Case(
            label: "file name with NUL", text: step("files:\n  \"a\\0b\": { secret: s }"), line: 6,
            keyPath: #"steps[0].files["a\u{0}b"]"#, fragments: ["NUL"]),
        Case(
            label: "file name too long", text: step("files:\n  \(String(repeating: "é", count: 128)): { secret: s }"), line: 6,
            keyPath: #"steps[0].files[""# + String(repeating: "é", count: 128) + #""]"#, fragments: ["256 bytes long", "255"]),
        Case(
            label: "duplicate file names", text: step("files:\n  1: { secret: s }\n  \"1\": { secret: t }"), line: 7,
            keyPath: "steps[0].files.1", fragments: ["duplicate key '1'", "already given on line 6"]),
        Case(
            label: "duplicate env key", text: step("env:\n  A: { value: x }\n  B: { value: y }\n  A: { value: z }"), line: 8,
            keyPath: "steps[0].env.A", fragments: ["duplicate key 'A'", "already given on line 6"]),
        Case(
            label: "duplicate top-level key", text: "name: demo\nsteps: [{name: a, run: [x]}]\nname: again\n", line: 3,
            keyPath: "name", fragments: ["duplicate key 'name'", "on line 1"]),
        Case(
            label: "duplicate key in JSON", text: "{\"name\": \"a\",\n \"name\": \"b\", \"steps\": [{\"name\": \"a\", \"run\": [\"x\"]}]}",
            line: 2, keyPath: "name", fragments: ["duplicate key 'name'"]),
        Case(
            label: "duplicate step names",
            text: "name: demo\nsteps:\n  - name: a\n    run: [x]\n  - name: b\n    run: [x]\n  - name: a\n    run: [x]\n",
            line: 7, keyPath: "steps[2].name", fragments: ["duplicate step name 'a'", "line 3"]),
        Case(
            label: "bad step name", text: "name: demo\nsteps:\n  - name: -train\n    run: [x]\n", line: 3, keyPath: "steps[0].name",
            fragments: ["invalid step name '-train'", "start with a letter or digit"]),
        Case(
            label: "bad job name", text: "name: my job\nsteps: [{name: a, run: [x]}]\n", line: 1, keyPath: "name",
            fragments: ["invalid job name 'my job'", "character 3"]),
        Case(
            label: "job name too long", text: "name: \(String(repeating: "a", count: 64))\nsteps: [{name: a, run: [x]}]\n", line: 1,
            keyPath: "name", fragments: ["64 characters long", "1 to 63"]),
        Case(label: "zero timeout", text: step("timeout_seconds: 0"), line: 5, keyPath: "steps[0].timeout_seconds", fragments: ["positive"]),
        Case(
            label: "negative timeout", text: step("timeout_seconds: -5"), line: 5, keyPath: "steps[0].timeout_seconds",
            fragments: ["positive, found -5"]),
        Case(
            label: "fractional timeout", text: step("timeout_seconds: 1.5"), line: 5, keyPath: "steps[0].timeout_seconds",
            fragments: ["whole number, found 1.5"]),
        Case(
            label: "quoted timeout", text: step("timeout_seconds: \"3600\""), line: 5, keyPath: "steps[0].timeout_seconds",
            fragments: ["found text", "without quotes"]),
        Case(
            label: "timeout as a list", text: step("timeout_seconds: [1]"), line: 5, keyPath: "steps[0].timeout_seconds",
            fragments: ["found a list"]),
        Case(
            label: "secret mapping with an extra key", text: step("env:\n  A: { secret: s, key: k }"), line: 6, keyPath: "steps[0].env.A.key",
            fragments: ["unknown key 'key'", "allowed keys here: secret, value"]),
        Case(
            label: "both secret and value", text: step("env:\n  A: { secret: s, value: v }"), line: 6, keyPath: "steps[0].env.A",
            fragments: ["either secret or value, not both"]),
        Case(
            label: "neither secret nor value", text: step("env:\n  A: {}"), line: 6, keyPath: "steps[0].env.A",
            fragments: ["neither secret nor value"]),
        Case(
            label: "bare value", text: step("env:\n  HF_TOKEN: hf-token"), line: 6, keyPath: "steps[0].env.HF_TOKEN",
            fragments: ["bare value is ambiguous", "{ value: \"...\" }", "{ secret: secret_name }"]),
        Case(
            label: "null value", text: step("env:\n  A: { value: }"), line: 6, keyPath: "steps[0].env.A.value",
            fragments: ["empty (null)"]),
        Case(
            label: "file without secret", text: step("files:\n  key: { env: KEY_FILE }"), line: 6, keyPath: "steps[0].files.key",
            fragments: ["missing required key 'secret'"]),
        Case(
            label: "file with a literal value", text: step("files:\n  key: { secret: s, value: v }"), line: 6,
            keyPath: "steps[0].files.key.value", fragments: ["unknown key 'value'", "allowed keys here: secret, env"]),
        Case(
            label: "YAML syntax error", text: "name: demo\nsteps: [{name: a, run: [x]}]\nbroken: a: b\n", line: 3, keyPath: "",
            fragments: ["YAML syntax error", "mapping values are not allowed"]),
        Case(
            label: "unclosed flow list", text: "name: demo\nsteps:\n  - name: a\n    run: [x, y\n  - name: b\n", line: 5, keyPath: "",
            fragments: ["YAML syntax error"]),
        Case(
            label: "tab indentation", text: "name: demo\nsteps:\n\t- name: a\n", line: 3, keyPath: "",
            fragments: ["YAML syntax error", "indent with spaces, not tabs"]),
        Case(
            label: "two documents", text: "name: demo\nsteps: [{name: a, run: [x]}]\n---\nname: other\n", line: 3, keyPath: "",
            fragments: ["more than one YAML document"]),
        Case(label: "empty file", text: "# nothing here\n", line: nil, keyPath: "", fragments: ["the file is empty"]),
        Case(
            label: "document that is a list", text: "- name: a\n  run: [x]\n", line: 1, keyPath: "",
            fragments: ["expected a job spec", "found a list"]),
    ]

    @Test(arguments: cases) func eachProblemIsLocated(_ example: Case) throws {
        let problems = try SpecScratchDirectory().problems(example.text)
        #expect(problems.count == 1, "\(problems.map(\.description))")
        example.expectLocated(in: problems)
    }

    @Test func problemsReadLikeCompilerMessages() throws {
        let text = """
            name: demo
            workspace: default
            steps:
              - name: show
                run: [python3, train.py]
                working_dir: .
                env:
                  MODE: { value: "sft" }
                  HF_TOKEN: { secret: a/b/c }
            """
        let error = try #require(throws: JobSpecError.self) { try JobSpecLoader.parse(text, path: "jobs/demo.yaml") }
        #expect(
            error.description
                == "jobs/demo.yaml:9: steps[0].env.HF_TOKEN.secret: invalid secret reference 'a/b/c': it has 2 '/' separators; "
                + "write workspace/secret_name or secret_name")
    }
}
