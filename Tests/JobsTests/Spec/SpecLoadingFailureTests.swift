import Foundation
import Jobs
import Testing

/// Files that cannot be specs at all, and files with many mistakes, are reported completely and precisely.
struct SpecLoadingFailureTests {
    @Test func missingFileIsAProblemNotACrash() throws {
        let scratch = try SpecScratchDirectory()
        let path = scratch.path + "/absent.yaml"
        let error = try #require(throws: JobSpecError.self) { try JobSpecLoader.load(path: path) }
        #expect(error.problems == [JobSpecProblem(file: path, line: nil, keyPath: "", message: error.problems[0].message)])
        #expect(error.problems[0].message.contains("no such file"))
        #expect(error.description.hasPrefix(path + ": no such file"))
    }

    @Test func directoryIsRefused() throws {
        let scratch = try SpecScratchDirectory()
        let error = try #require(throws: JobSpecError.self) { try JobSpecLoader.load(path: scratch.path) }
        #expect(error.problems.map(\.message).first?.contains("is a directory") == true)
    }

    @Test func nonUTF8FileNamesTheLineOfTheBadByte() throws {
        let scratch = try SpecScratchDirectory()
        let bytes = Array("name: demo\nsteps:\n  - name: a\n    run: [caf".utf8) + [0xE9] + Array("]\n".utf8)
        let path = try scratch.write(bytes: bytes, to: "latin1.yaml")
        let error = try #require(throws: JobSpecError.self) { try JobSpecLoader.load(path: path) }
        #expect(error.problems.count == 1)
        #expect(error.problems.first?.line == 4)
        #expect(error.problems.first?.message.contains("not UTF-8") == true)
    }

    @Test func everyProblemInTheFileIsReportedInLineOrder() throws {
        let scratch = try SpecScratchDirectory()
        let problems = try scratch.problems(
            """
            name: demo
            colour: blue
            steps:
              - name: train
                run: python3 train.py
                env:
                  HF_TOKEN: { secret: a/b/c }
                  JOBRUNNER_STEP: { value: x }
                  MODE: { value: sft }
                  MODE: { value: dpo }
                files:
                  ../key: { secret: wandb-key, env: HF_TOKEN }
                timeout_seconds: 0
              - name: train
                run: []
            """)
        let located = problems.map { "\($0.line.map(String.init) ?? "-") \($0.keyPath)" }
        #expect(
            located == [
                "2 colour",
                "5 steps[0].run",
                "7 steps[0].env.HF_TOKEN.secret",
                "8 steps[0].env.JOBRUNNER_STEP",
                "10 steps[0].env.MODE",
                #"12 steps[0].files["../key"]"#,
                #"12 steps[0].files["../key"].env"#,
                "13 steps[0].timeout_seconds",
                "14 steps[1].name",
                "15 steps[1].run",
            ], "\(problems.map(\.description).joined(separator: "\n"))")
        #expect(problems.allSatisfy { $0.file.hasSuffix("/spec.yaml") })
        #expect(JobSpecError(problems: problems).description.split(separator: "\n").count == problems.count)
    }

    @Test func syntaxErrorsAndDuplicateKeysDoNotHideOtherProblems() throws {
        let scratch = try SpecScratchDirectory()
        let problems = try scratch.problems(
            """
            name: demo
            steps:
              - name: a
                name: b
                run: [x]
                env:
                  A: { value: x }
                  A: { value: y }
                  9: { value: z }
            """)
        let located = problems.map { "\($0.line.map(String.init) ?? "-") \($0.keyPath)" }
        #expect(located == ["4 steps[0].name", "8 steps[0].env.A", "9 steps[0].env.9"], "\(problems.map(\.description))")
    }
}
