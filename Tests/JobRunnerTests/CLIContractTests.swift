import Foundation
import SecretStore
import Testing

/// The `jobrunner secrets …` and `jobrunner workspaces …` contract of issue 2, through the real binary.
@Suite("CLI contract")
struct CLIContractTests {
    /// Values go in through a file, standard input or the command line, and `access` gives back exactly the bytes.
    @Test("create from a file, stdin or a literal; access prints exactly the value")
    func createAndAccessRoundTrip() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))

        let fromFile = randomHex(40)
        try sandbox.succeed(["secrets", "create", "from-file", "--from-file", sandbox.file("a", fromFile + "\n")])
        #expect(try sandbox.succeed(["secrets", "access", "from-file"]).output == fromFile)

        let fromStdin = "pässwörd with spaces " + randomHex(16)
        try sandbox.succeed(["secrets", "create", "from-stdin", "--from-file", "-"], stdin: Data((fromStdin + "\n").utf8))
        #expect(try sandbox.succeed(["secrets", "access", "default/from-stdin"]).output == fromStdin)

        let literal = randomHex(24)
        try sandbox.succeed(["secrets", "create", "from-literal", "--from-literal", literal])
        #expect(try sandbox.succeed(["secrets", "access", "from-literal"]).output == literal)

        // A value without a trailing newline is taken as is.
        try sandbox.succeed(["secrets", "create", "no-newline", "--from-file", sandbox.file("b", "abc")])
        #expect(try sandbox.succeed(["secrets", "access", "no-newline"]).stdout == Data("abc".utf8))

        // Only one trailing newline is dropped.
        try sandbox.succeed(["secrets", "create", "two-newlines", "--from-file", sandbox.file("c", "abc\n\n")])
        #expect(try sandbox.succeed(["secrets", "access", "two-newlines"]).stdout == Data("abc\n".utf8))

        // --keep-trailing-newline keeps it, from a file and from standard input.
        try sandbox.succeed([
            "secrets", "create", "kept", "--from-file", sandbox.file("d", "abc\n"), "--keep-trailing-newline",
        ])
        #expect(try sandbox.succeed(["secrets", "access", "kept"]).stdout == Data("abc\n".utf8))
        try sandbox.succeed(
            ["secrets", "create", "kept-stdin", "--from-file", "-", "--keep-trailing-newline"], stdin: Data("xyz\n".utf8))
        #expect(try sandbox.succeed(["secrets", "access", "kept-stdin"]).stdout == Data("xyz\n".utf8))

        // Interior newlines and a multi-line PEM-like value survive.
        let multiLine = "-----BEGIN KEY-----\n\(randomHex(32))\n\(randomHex(32))\n-----END KEY-----"
        try sandbox.succeed(["secrets", "create", "pem", "--from-file", sandbox.file("e", multiLine + "\n")])
        #expect(try sandbox.succeed(["secrets", "access", "pem"]).output == multiLine)

        // The largest value allowed, 64 KiB, round-trips.
        let largest = String(repeating: "x", count: 64 * 1024 - 8) + randomHex(8)
        try sandbox.succeed(["secrets", "create", "largest", "--from-file", "-"], stdin: Data(largest.utf8))
        #expect(try sandbox.succeed(["secrets", "access", "largest"]).output == largest)

        // Names with dots, underscores, dashes and 255 characters work, also as workspace/name.
        let longName = String(repeating: "n", count: 255)
        try sandbox.succeed(["secrets", "create", "wandb.key_prod-1", "--from-literal", "v"])
        try sandbox.succeed(["secrets", "create", "default/\(longName)", "--from-literal", "w"])
        #expect(try sandbox.succeed(["secrets", "access", "default/wandb.key_prod-1"]).output == "v")
        #expect(try sandbox.succeed(["secrets", "access", longName]).output == "w")
    }

    /// `get --output json` is the API's metadata object; the table shows the same fields and never the value.
    @Test("get prints metadata only: the API's JSON object, or a table")
    func getMetadata() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        let value = randomHex(40)
        let created = try sandbox.succeed(
            [
                "secrets", "create", "hf-token", "--from-file", "-", "--description", "HF read token", "--output", "json",
            ], stdin: Data(value.utf8))
        let createdObject = try created.jsonObject()
        JSONShapes.expectMetadata(createdObject, name: "hf-token", description: "HF read token")
        #expect(createdObject["created_at"] as? String == createdObject["updated_at"] as? String)

        let fetched = try sandbox.succeed(["secrets", "get", "hf-token", "--output", "json"])
        let object = try fetched.jsonObject()
        JSONShapes.expectMetadata(object, name: "hf-token", description: "HF read token")
        #expect(object["created_at"] as? String == createdObject["created_at"] as? String)
        #expect(object["updated_at"] as? String == createdObject["updated_at"] as? String)

        // No description: the key is still there, with null.
        try sandbox.succeed(["secrets", "create", "bare", "--from-literal", "x"])
        JSONShapes.expectMetadata(
            try sandbox.succeed(["secrets", "get", "bare", "--output", "json"]).jsonObject(), name: "bare",
            description: nil)

        let table = try sandbox.succeed(["secrets", "get", "default/hf-token"]).output
        for field in ["hf-token", "default", "HF read token", try #require(object["created_at"] as? String)] {
            #expect(table.contains(field), "table lacks \(field): \(table)")
        }
        #expect(!table.contains(value))
    }

    /// Lists are the API's envelope, newest first, with pagination figures and empty pages past the end.
    @Test("list pages newest first, per workspace, as JSON or a table")
    func listPages() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        let empty = try sandbox.succeed(["secrets", "list", "--output", "json"]).jsonObject()
        #expect((empty["data"] as? [Any])?.isEmpty == true)
        #expect(pagination(empty) == [1, 10, 0, 0, 0])

        for index in 1...5 {
            try sandbox.succeed(
                ["secrets", "create", "s\(index)", "--from-file", "-", "--description", "d\(index)"],
                stdin: Data("value-\(index)".utf8))
        }
        try sandbox.succeed(["workspaces", "create", "team-a"])
        try sandbox.succeed(["secrets", "create", "team-a/only", "--from-literal", "x"])

        let all = try sandbox.succeed(["secrets", "list", "--output", "json"]).jsonObject()
        #expect(names(all) == ["s5", "s4", "s3", "s2", "s1"])
        #expect(pagination(all) == [1, 10, 5, 1, 5])
        let item = try #require((all["data"] as? [[String: Any]])?.first)
        #expect(Set(item.keys).isSubset(of: JSONShapes.metadataKeys) && item.keys.count >= 4, "\(item)")
        #expect(item["workspace"] as? String == "default")
        #expect(item["description"] as? String == "d5")

        let page2 = try sandbox.succeed(["secrets", "list", "--page", "2", "--page-size", "2", "--output", "json"])
        #expect(names(try page2.jsonObject()) == ["s3", "s2"])
        #expect(pagination(try page2.jsonObject()) == [2, 2, 2, 3, 5])
        let last = try sandbox.succeed(["secrets", "list", "--page", "3", "--page-size", "2", "--output", "json"])
        #expect(names(try last.jsonObject()) == ["s1"])
        #expect(pagination(try last.jsonObject()) == [3, 2, 1, 3, 5])
        let beyond = try sandbox.succeed(["secrets", "list", "--page", "9", "--page-size", "2", "--output", "json"])
        #expect(names(try beyond.jsonObject()) == [])
        #expect(pagination(try beyond.jsonObject()) == [9, 2, 0, 3, 5])
        let single = try sandbox.succeed(["secrets", "list", "--page-size", "1", "--output", "json"])
        #expect(names(try single.jsonObject()) == ["s5"])
        #expect(pagination(try single.jsonObject()) == [1, 1, 1, 5, 5])

        let team = try sandbox.succeed(["secrets", "list", "--workspace", "team-a", "--output", "json"]).jsonObject()
        #expect(names(team) == ["only"])
        #expect((team["data"] as? [[String: Any]])?.first?["workspace"] as? String == "team-a")

        let table = try sandbox.succeed(["secrets", "list"]).output
        for name in ["s1", "s5", "d3"] { #expect(table.contains(name), "\(table)") }
        #expect(!table.contains("only"))
        #expect(!table.contains("value-"))
    }

    /// `update` changes the value, the description, or both, and refuses to do nothing.
    @Test("update the value, the description, or both; nothing is a usage error")
    func update() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        let before = try sandbox.succeed([
            "secrets", "create", "tok", "--from-literal", "first", "--description", "one", "--output", "json",
        ]).jsonObject()

        let valueOnly = try sandbox.succeed(
            ["secrets", "update", "tok", "--from-file", "-", "--output", "json"],
            stdin: Data("second\n".utf8)
        ).jsonObject()
        JSONShapes.expectMetadata(valueOnly, name: "tok", description: "one")
        #expect(valueOnly["created_at"] as? String == before["created_at"] as? String)
        #expect(timestamp(valueOnly["updated_at"]) > timestamp(before["updated_at"]))
        #expect(try sandbox.succeed(["secrets", "access", "tok"]).output == "second")

        let descriptionOnly = try sandbox.succeed(["secrets", "update", "tok", "--description", "two", "--output", "json"])
        JSONShapes.expectMetadata(try descriptionOnly.jsonObject(), name: "tok", description: "two")
        #expect(timestamp(try descriptionOnly.jsonObject()["updated_at"]) > timestamp(valueOnly["updated_at"]))
        #expect(try sandbox.succeed(["secrets", "access", "tok"]).output == "second")

        try sandbox.succeed([
            "secrets", "update", "default/tok", "--from-file", sandbox.file("v", "third\n"), "--description", "three",
        ])
        #expect(try sandbox.succeed(["secrets", "access", "tok"]).output == "third")
        #expect(try sandbox.succeed(["secrets", "get", "tok", "--output", "json"]).jsonObject()["description"] as? String == "three")

        // The help of --description promises that an empty string clears it.
        try sandbox.succeed(["secrets", "update", "tok", "--description", ""])
        let cleared = try sandbox.succeed(["secrets", "get", "tok", "--output", "json"]).jsonObject()["description"]
        #expect(cleared is NSNull || cleared as? String == "", "description not cleared: \(String(describing: cleared))")

        let nothing = try sandbox.run(["secrets", "update", "tok"])
        expectFailure(nothing, exitCode: 2, mentioning: ["--description"])
        #expect(try sandbox.succeed(["secrets", "access", "tok"]).output == "third")
    }

    /// `delete` removes the secret for good; the name can be reused.
    @Test("delete removes a secret; afterwards it is not found")
    func delete() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        try sandbox.succeed(["secrets", "create", "gone", "--from-literal", "old"])
        try sandbox.succeed(["secrets", "delete", "gone"])
        expectFailure(try sandbox.run(["secrets", "get", "gone"]), exitCode: 3, mentioning: ["default/gone"])
        expectFailure(try sandbox.run(["secrets", "access", "gone"]), exitCode: 3, mentioning: ["default/gone"])
        expectFailure(try sandbox.run(["secrets", "delete", "default/gone"]), exitCode: 3, mentioning: ["default/gone"])
        #expect(pagination(try sandbox.succeed(["secrets", "list", "--output", "json"]).jsonObject())[4] == 0)

        try sandbox.succeed(["secrets", "create", "gone", "--from-literal", "new"])
        #expect(try sandbox.succeed(["secrets", "access", "gone"]).output == "new")
    }

    /// Workspaces are resources: `default` always exists, others are created, listed and deleted when empty.
    @Test("workspaces create, list and delete; default and non-empty workspaces stay")
    func workspaces() throws {
        let sandbox = try Sandbox(key: TestKey(name: "v1"))
        let initial = try sandbox.succeed(["workspaces", "list", "--output", "json"]).jsonObject()
        let initialRows = try #require(initial["data"] as? [[String: Any]])
        #expect(initialRows.map { $0["name"] as? String } == ["default"])
        #expect(Set(initialRows[0].keys) == ["name", "created_at", "secret_count"])
        #expect(JSONShapes.date(initialRows[0]["created_at"]) != nil)
        #expect(initialRows[0]["secret_count"] as? Int == 0)

        try sandbox.succeed(["workspaces", "create", "team-a"])
        expectFailure(try sandbox.run(["workspaces", "create", "team-a"]), exitCode: 5, mentioning: ["team-a"])
        try sandbox.succeed(["secrets", "create", "team-a/tok", "--from-literal", "x"])
        #expect(
            try sandbox.succeed(["secrets", "get", "team-a/tok", "--output", "json"]).jsonObject()["workspace"] as? String
                == "team-a")

        let listed = try #require(try sandbox.succeed(["workspaces", "list", "--output", "json"]).jsonObject()["data"] as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["name"] as? String }) == ["default", "team-a"])
        #expect(listed.first { $0["name"] as? String == "team-a" }?["secret_count"] as? Int == 1)
        #expect(try sandbox.succeed(["workspaces", "list"]).output.contains("team-a"))

        expectFailure(try sandbox.run(["workspaces", "delete", "team-a"]), exitCode: 5, mentioning: ["team-a"])
        #expect(try sandbox.succeed(["secrets", "access", "team-a/tok"]).output == "x")

        // Deleting `default` is refused; the issue gives no code, so any refusal that says why will do.
        let deleteDefault = try sandbox.run(["workspaces", "delete", "default"])
        #expect([2, 5].contains(deleteDefault.exitCode), "\(deleteDefault)")
        expectFailure(deleteDefault, exitCode: deleteDefault.exitCode, mentioning: ["default"])

        try sandbox.succeed(["secrets", "delete", "team-a/tok"])
        try sandbox.succeed(["workspaces", "delete", "team-a"])
        let after = try #require(try sandbox.succeed(["workspaces", "list", "--output", "json"]).jsonObject()["data"] as? [[String: Any]])
        #expect(after.compactMap { $0["name"] as? String } == ["default"])
        expectFailure(try sandbox.run(["workspaces", "delete", "team-a"]), exitCode: 3, mentioning: ["team-a"])
        expectFailure(try sandbox.run(["secrets", "list", "--workspace", "team-a"]), exitCode: 3, mentioning: ["team-a"])
    }

    // MARK: - Helpers

    private func names(_ list: [String: Any]) -> [String] {
        (list["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? ["<no data array>"]
    }

    /// `[page, page_size, current_page_size, total_pages, total_results]`.
    private func pagination(_ list: [String: Any]) -> [Int] {
        let block = list["pagination"] as? [String: Any] ?? [:]
        #expect(Set(block.keys) == ["page", "page_size", "current_page_size", "total_pages", "total_results"])
        return ["page", "page_size", "current_page_size", "total_pages", "total_results"].map { block[$0] as? Int ?? -1 }
    }

    /// The timestamp text, which sorts like time in the fixed-width format.
    private func timestamp(_ value: Any?) -> String {
        value as? String ?? ""
    }
}
