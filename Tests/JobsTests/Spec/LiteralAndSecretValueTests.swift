import Foundation
import Jobs
import SecretStore
import Testing

/// A plain value and a secret reference are never taken for one another, and literal values never appear in
/// messages (a literal may be a credential pasted by mistake).
struct LiteralAndSecretValueTests {
    @Test func valuesThatLookLikeReferencesStayLiteral() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            name: literal
            steps:
              - name: a
                run: [/bin/true]
                env:
                  LOOKS_BARE: { value: hf-token }
                  LOOKS_QUALIFIED: { value: default/hf-token }
                  NUMBER: { value: 1.50 }
                  FLAG: { value: yes }
                  EMPTY: { value: "" }
                  MULTI: { value: "line one\\nline two" }
                  REAL: { secret: hf-token }
            """)
        let step = spec.steps[0]
        #expect(
            step.environment.map(\.source) == [
                .literal("hf-token"), .literal("default/hf-token"), .literal("1.50"), .literal("yes"), .literal(""),
                .literal("line one\nline two"), .secret(try SecretReference(parsing: "default/hf-token")),
            ])
        #expect(step.secretReferences == [try SecretReference(parsing: "default/hf-token")])
    }

    @Test func platformValuesStayLiteralToo() throws {
        let scratch = try SpecScratchDirectory()
        let spec = try scratch.load(
            """
            {"steps": [{"name": "a", "executor": {"provider": "subprocess", "command": ["/bin/true"]},
              "environment": [{"name": "A", "value": "default/hf-token"}, {"name": "B", "value": 42}]}]}
            """, as: "literal.json")
        #expect(spec.steps[0].environment.map(\.source) == [.literal("default/hf-token"), .literal("42")])
        #expect(spec.steps[0].secretReferences.isEmpty)
    }

    @Test func literalValuesNeverAppearInMessages() throws {
        let scratch = try SpecScratchDirectory()
        let pasted = "hf_FAKEliteralTOKEN0123456789"
        let problems = try scratch.problems(
            """
            name: leak
            steps:
              - name: a
                run: [/bin/true]
                env:
                  BOTH: { value: \(pasted), secret: s }
                  BARE: \(pasted)
                  NUL: { value: "\(pasted)\\0" }
                  LIST: { value: [\(pasted)] }
            """)
        #expect(problems.count == 4, "\(problems.map(\.description))")
        for problem in problems {
            #expect(!problem.description.contains(pasted))
        }
        expectProblem(in: problems, line: 8, keyPath: "steps[0].env.NUL.value", containing: "NUL character")
        expectProblem(in: problems, line: 9, keyPath: "steps[0].env.LIST.value", containing: "expected text, found a list")
    }
}
