import Foundation
import SecretStore
import Testing

/// Exit codes and the one-line error contract: 0 success, 1 internal/crypto, 2 invalid input or usage, 3 not
/// found, 5 already exists or conflict; every error one line on stderr starting with `error: `, no stack trace.
@Suite("Exit codes and error lines")
struct ExitCodeTests {
    /// One failing command and what it must report.
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        var stdin: String? = nil
        let exitCode: Int32
        var mentioning: [String] = []

        var testDescription: String { "\(label) → \(exitCode)" }
    }

    /// The files the cases refer to, written into each case's sandbox by ``prepare()``.
    enum Files {
        static let value = "value.txt"
        static let onlyNewline = "only-newline.txt"
        static let tooLarge = "too-large.txt"
        static let notUTF8 = "not-utf8.bin"
    }

    static let usageCases: [Case] = [
        // The sandbox puts --data-dir and --config first, as scripts do; a typo must still be named as the fault.
        Case(
            label: "misspelled command after global options", arguments: ["secrest", "list"], exitCode: 2,
            mentioning: ["secrest"]),
        Case(label: "unknown option", arguments: ["secrets", "list", "--colour"], exitCode: 2, mentioning: ["--colour"]),
        Case(label: "create without a reference", arguments: ["secrets", "create"], exitCode: 2),
        Case(
            label: "create without a value", arguments: ["secrets", "create", "new"], exitCode: 2,
            mentioning: ["--from-file"]),
        Case(
            label: "create with two value sources",
            arguments: [
                "secrets", "create", "new", "--from-file", "@value.txt",
                "--from-literal", "x",
            ], exitCode: 2),
        Case(label: "update with nothing to change", arguments: ["secrets", "update", "existing"], exitCode: 2),
        Case(label: "--output xml", arguments: ["secrets", "list", "--output", "xml"], exitCode: 2, mentioning: ["xml"]),
        Case(label: "--page 0", arguments: ["secrets", "list", "--page", "0"], exitCode: 2, mentioning: ["page"]),
        Case(
            label: "--page-size 0", arguments: ["secrets", "list", "--page-size", "0"], exitCode: 2,
            mentioning: ["page size"]),
        Case(label: "--page not a number", arguments: ["secrets", "list", "--page", "two"], exitCode: 2),
        Case(label: "--batch-size 0", arguments: ["admin", "rotate-encryption-keys", "--batch-size", "0"], exitCode: 2),
        Case(
            label: "name with a space", arguments: ["secrets", "create", "bad name", "--from-file", "@value.txt"],
            exitCode: 2, mentioning: ["bad name"]),
        Case(
            label: "Unicode letters in a name", arguments: ["secrets", "create", "naïve", "--from-file", "@value.txt"],
            exitCode: 2, mentioning: ["U+00EF"]),
        Case(
            label: "256-character name", arguments: ["secrets", "get", String(repeating: "a", count: 256)],
            exitCode: 2, mentioning: ["255"]),
        Case(
            label: "reference with two slashes", arguments: ["secrets", "get", "a/b/c"], exitCode: 2,
            mentioning: ["a/b/c"]),
        Case(label: "empty workspace in a reference", arguments: ["secrets", "get", "/name"], exitCode: 2),
        Case(
            label: "value that is only a newline",
            arguments: [
                "secrets", "create", "new", "--from-file",
                "@only-newline.txt",
            ], exitCode: 2, mentioning: ["empty"]),
        Case(
            label: "empty standard input", arguments: ["secrets", "create", "new", "--from-file", "-"], stdin: "",
            exitCode: 2, mentioning: ["empty"]),
        Case(label: "empty literal", arguments: ["secrets", "create", "new", "--from-literal", ""], exitCode: 2),
        Case(
            label: "value over 64 KiB", arguments: ["secrets", "create", "new", "--from-file", "@too-large.txt"],
            exitCode: 2, mentioning: ["64 KiB"]),
        Case(
            label: "value over 64 KiB on update", arguments: ["secrets", "update", "existing", "--from-file", "-"],
            stdin: String(repeating: "z", count: 64 * 1024 + 1), exitCode: 2, mentioning: ["64 KiB"]),
        Case(
            label: "value not UTF-8", arguments: ["secrets", "create", "new", "--from-file", "@not-utf8.bin"],
            exitCode: 2, mentioning: ["UTF-8"]),
        Case(
            label: "missing value file", arguments: ["secrets", "create", "new", "--from-file", "/nonexistent/value"],
            exitCode: 2, mentioning: ["/nonexistent/value"]),
        Case(label: "invalid workspace name", arguments: ["workspaces", "create", "bad/ws"], exitCode: 2),
        Case(label: "invalid workspace to list", arguments: ["secrets", "list", "--workspace", "a b"], exitCode: 2),
    ]

    static let notFoundCases: [Case] = [
        Case(label: "get missing", arguments: ["secrets", "get", "missing"], exitCode: 3, mentioning: ["default/missing"]),
        Case(
            label: "access missing", arguments: ["secrets", "access", "missing"], exitCode: 3,
            mentioning: ["default/missing"]),
        Case(
            label: "update missing value", arguments: ["secrets", "update", "missing", "--from-file", "@value.txt"],
            exitCode: 3, mentioning: ["default/missing"]),
        Case(
            label: "update missing description", arguments: ["secrets", "update", "missing", "--description", "d"],
            exitCode: 3, mentioning: ["default/missing"]),
        Case(
            label: "delete missing", arguments: ["secrets", "delete", "missing"], exitCode: 3,
            mentioning: ["default/missing"]),
        Case(
            label: "get in a missing workspace", arguments: ["secrets", "get", "nowhere/existing"], exitCode: 3,
            mentioning: ["nowhere"]),
        Case(
            label: "access in a missing workspace", arguments: ["secrets", "access", "nowhere/existing"], exitCode: 3,
            mentioning: ["nowhere"]),
        Case(
            label: "list a missing workspace", arguments: ["secrets", "list", "--workspace", "nowhere"], exitCode: 3,
            mentioning: ["nowhere"]),
        Case(
            label: "delete a missing workspace", arguments: ["workspaces", "delete", "nowhere"], exitCode: 3,
            mentioning: ["nowhere"]),
    ]

    static let conflictCases: [Case] = [
        Case(
            label: "create an existing secret", arguments: ["secrets", "create", "existing", "--from-file", "@value.txt"],
            exitCode: 5, mentioning: ["default/existing", "already exists"]),
        Case(
            label: "create an existing workspace", arguments: ["workspaces", "create", "full"], exitCode: 5,
            mentioning: ["full"]),
        Case(
            label: "delete a non-empty workspace", arguments: ["workspaces", "delete", "full"], exitCode: 5,
            mentioning: ["full"]),
    ]

    /// A sandbox with `default/existing`, a workspace `full` holding one secret, an empty workspace `empty`,
    /// and the value files the cases name as `@file`.
    private static func prepare() throws -> (sandbox: Sandbox, key: TestKey) {
        let key = TestKey(name: "v1")
        let sandbox = try Sandbox(key: key)
        let store = try sandbox.libraryStore(keyRing: KeyRing(current: try key.provider()))
        try store.createSecret(SecretReference(parsing: "existing"), value: SecretValue("existing-value"))
        try store.createWorkspace(WorkspaceName("full"))
        try store.createWorkspace(WorkspaceName("empty"))
        try store.createSecret(SecretReference(parsing: "full/inside"), value: SecretValue("inside-value"))
        try sandbox.file(Files.value, "a value\n")
        try sandbox.file(Files.onlyNewline, "\n")
        try sandbox.file(Files.tooLarge, String(repeating: "y", count: 64 * 1024 + 1))
        try sandbox.file(Files.notUTF8, Data([0x66, 0xff, 0xfe, 0x6f]))
        return (sandbox, key)
    }

    private func check(_ testCase: Case) throws {
        let (sandbox, key) = try Self.prepare()
        let arguments = testCase.arguments.map { argument in
            argument.hasPrefix("@") ? sandbox.root.appendingPathComponent(String(argument.dropFirst())).path : argument
        }
        let result = try sandbox.run(arguments, stdin: testCase.stdin.map { Data($0.utf8) })
        // --from-literal prints its advice as a warning line; every other case must print the error line only.
        expectFailure(
            result, exitCode: testCase.exitCode, mentioning: testCase.mentioning,
            allowingWarnings: arguments.contains("--from-literal"))
        // Nothing changed: the prepared secrets still hold their values.
        let store = try sandbox.libraryStore(keyRing: KeyRing(current: try key.provider()))
        #expect(try store.accessSecret(SecretReference(parsing: "existing")).revealedString() == "existing-value")
        #expect(try store.listSecrets(in: .default).pagination.totalResults == 1)
    }

    @Test("usage errors and invalid input exit 2 with one error line", arguments: usageCases)
    func usageAndInvalidInput(_ testCase: Case) throws { try check(testCase) }

    @Test("missing secrets and workspaces exit 3 with one error line", arguments: notFoundCases)
    func notFound(_ testCase: Case) throws { try check(testCase) }

    @Test("duplicates and non-empty workspaces exit 5 with one error line", arguments: conflictCases)
    func conflicts(_ testCase: Case) throws { try check(testCase) }

    /// A data directory that cannot be one is an internal failure, reported on one line.
    @Test("a data directory that is a file exits 1 with one error line")
    func dataDirectoryIsAFile() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        let file = try sandbox.file("not-a-directory", "x")
        let result = try sandbox.run(
            ["--data-dir", file, "--config", try #require(sandbox.configFile?.path), "secrets", "list"],
            globalOptions: false)
        expectFailure(result, exitCode: 1, mentioning: [file])
    }

    /// A ciphertext copied from another row (the associated data binds it to its name) or altered on disk is
    /// a crypto failure: exit 1, naming the secret, printing nothing of either value.
    @Test("a copied or corrupted ciphertext exits 1 naming the secret")
    func tamperedCiphertext() throws {
        let (sandbox, _) = try Self.prepare()
        let values = ["victim": randomHex(40), "donor": randomHex(40), "flipped": randomHex(40)]
        for (name, value) in values {
            try sandbox.succeed(["secrets", "create", name, "--from-file", "-"], stdin: Data(value.utf8))
        }
        try sandbox.database.execute(
            """
            UPDATE secret SET
                sealed_value = (SELECT sealed_value FROM secret WHERE workspace = 'default' AND name = 'donor'),
                wrapped_data_key = (SELECT wrapped_data_key FROM secret WHERE workspace = 'default' AND name = 'donor')
            WHERE workspace = 'default' AND name = 'victim'
            """)
        try sandbox.database.execute(
            """
            UPDATE secret SET sealed_value = substr(sealed_value, 1, 20) || zeroblob(1) || substr(sealed_value, 22)
            WHERE workspace = 'default' AND name = 'flipped'
            """)
        for name in ["victim", "flipped"] {
            let result = try sandbox.run(["secrets", "access", name])
            expectFailure(result, exitCode: 1, mentioning: ["default/\(name)", "cannot be decrypted"])
            for value in values.values { #expect(!result.errorOutput.contains(value)) }
        }
        #expect(try sandbox.succeed(["secrets", "access", "donor"]).output == values["donor"])
    }

    /// DESIGN.md: "A secret in a workspace that does not exist: 404 on read, 422 on create". The CLI's codes
    /// follow the API's classes (SecretStoreErrorCategory: invalid input is exit 2 and HTTP 422), so creating a
    /// secret in a missing workspace is invalid input, exit 2, while reading one there is not found, exit 3.
    @Test("creating a secret in a missing workspace is invalid input (422 → exit 2)")
    func createInMissingWorkspace() throws {
        let (sandbox, _) = try Self.prepare()
        let result = try sandbox.run(["secrets", "create", "nowhere/new", "--from-file", "-"], stdin: Data("v".utf8))
        expectFailure(result, exitCode: 2, mentioning: ["nowhere"])
    }

    /// `--help` is not an error: it prints to standard output and exits 0.
    @Test("--help exits 0 and prints usage")
    func help() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        for arguments in [["--help"], ["secrets", "create", "--help"], ["admin", "rotate-encryption-keys", "--help"]] {
            let result = try sandbox.run(arguments, globalOptions: false)
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.output.contains("USAGE"), "\(result)")
        }
    }
}
