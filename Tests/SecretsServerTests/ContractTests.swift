import Foundation
import SecretStore
import SecretsServer
import Testing

/// The `/apis/secrets/v2` contract as recorded from the reference service (`shared/reference/recorded/curl-run1.md`
/// and `curl-run2.md`), followed except where DESIGN.md says the seed's rules win (names, value size, the real
/// rotation count). Each test drives its own server as a platform admin.
struct ContractTests {
    /// `create`, `retrieve`, `access` and their errors, with the reference's exact bodies.
    @Test func createRetrieveAndAccess() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let first = SecretValues.make("hf")

        let created = await server.send("POST", secretsPath(), token: root, json: #"{"name":"hf-token","value":"\#(first)","description":"first"}"#)
        #expect(created.status == 201)
        #expect(created.header("Content-Type")?.hasPrefix("application/json") == true)
        let metadata = try #require(created.object)
        #expect(Set(metadata.keys) == metadataKeys)
        #expect(metadata["name"] as? String == "hf-token")
        #expect(metadata["workspace"] as? String == "default")
        #expect(metadata["description"] as? String == "first")
        #expect(isReferenceTimestamp(metadata["created_at"]) && isReferenceTimestamp(metadata["updated_at"]), "\(created)")

        let undescribed = await server.send("POST", secretsPath(), token: root, json: #"{"name":"nodesc","value":"\#(SecretValues.make())"}"#)
        #expect(undescribed.status == 201)
        #expect(undescribed.object?["description"] is NSNull, "description is present and null: \(undescribed)")

        let duplicate = await server.send("POST", secretsPath(), token: root, json: #"{"name":"hf-token","value":"\#(SecretValues.make())"}"#)
        #expect(duplicate.status == 409)
        #expect(duplicate.detailMessage == "Secret 'default/hf-token' already exists")
        #expect(duplicate.header("x-should-retry") == "false", "the SDK retries a 409 unless told not to")
        #expect(storedValue(server.store, "default", "hf-token") == first, "a refused duplicate leaves the original")

        let retrieved = await server.send("GET", secretsPath("default", "hf-token"), token: root)
        #expect(retrieved.status == 200)
        #expect((retrieved.object as NSDictionary?) == (metadata as NSDictionary))

        let missing = await server.send("GET", secretsPath("default", "nope"), token: root)
        #expect(missing.status == 404)
        #expect(missing.text == #"{"detail":"Secret default/nope not found"}"#)

        let accessed = await server.send("GET", secretsPath("default", "hf-token/access"), token: root)
        #expect(accessed.status == 200)
        #expect(keys(of: accessed) == ["name", "workspace", "value"])
        #expect(accessed.object?["name"] as? String == "hf-token")
        #expect(accessed.object?["workspace"] as? String == "default")
        #expect(accessed.object?["value"] as? String == first)

        let accessMissing = await server.send("GET", secretsPath("default", "nope/access"), token: root)
        #expect(accessMissing.status == 404)
        #expect(accessMissing.detailMessage == "Secret default/nope not found")

        // Without a Content-Type the body is still JSON, as the reference takes it.
        let untyped = await server.send(
            "POST", secretsPath(), token: root, body: Array(#"{"name":"noct","value":"\#(SecretValues.make())"}"#.utf8))
        #expect(untyped.status == 201)

        // Values are text of any kind and come back exactly.
        let unicode = SecretValues.make() + "ключ\n🔑\t\"q\"\\"
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"univ","value":\#(jsonString(unicode))}"#).status == 201)
        #expect(await server.send("GET", secretsPath("default", "univ/access"), token: root).object?["value"] as? String == unicode)

        let longDescription = String(repeating: "d", count: 10_000)
        let described = await server.send(
            "POST", secretsPath(), token: root, json: #"{"name":"longdesc","value":"\#(SecretValues.make())","description":"\#(longDescription)"}"#)
        #expect(described.status == 201)
        #expect(await server.send("GET", secretsPath("default", "longdesc"), token: root).object?["description"] as? String == longDescription)
        try await server.finish()
    }

    /// A value comes back from `/access` exactly as it was sent, scalar for scalar, whatever text it is: JSON
    /// escapes, control characters, whitespace at either end, a byte-order mark, combining marks.
    @Test func valuesComeBackExactly() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let marker = SecretValues.marker
        // (JSON text sent, the value it denotes)
        let cases: [(json: String, value: String)] = [
            (#""\#(marker) padded ""#, "\(marker) padded "),
            (#"" \#(marker)""#, " \(marker)"),
            (#""\#(marker)\r\n""#, "\(marker)\r\n"),
            (#""\#(marker)\u0000\u0001\u001f""#, "\(marker)\u{0}\u{1}\u{1F}"),
            (#""\#(marker)\ud83d\udd11""#, "\(marker)🔑"),
            (#""\#(marker)e\u0301""#, "\(marker)e\u{301}"),
            ("\"\u{FEFF}\(marker)\"", "\u{FEFF}\(marker)"),
            (#""\ufeff\#(marker)""#, "\u{FEFF}\(marker)"),
            ("\"\(marker)\u{FEFF}\"", "\(marker)\u{FEFF}"),
            (#""\#(marker)\\\"\/""#, "\(marker)\\\"/"),
        ]
        for (index, (json, value)) in cases.enumerated() {
            let created = await server.send("POST", secretsPath(), token: root, json: #"{"name":"exact-\#(index)","value":\#(json)}"#)
            #expect(created.status == 201, "\(value.debugDescription): \(created)")
            let accessed = await server.send("GET", secretsPath("default", "exact-\(index)/access"), token: root)
            let returned = accessed.decoded([String: String].self)?["value"]
            #expect(
                returned.map { Array($0.unicodeScalars) } == Array(value.unicodeScalars),
                "sent \(value.debugDescription), got back \(returned.debugDescription)")
            // The same through an update.
            #expect(await server.send("PATCH", secretsPath("default", "exact-\(index)"), token: root, json: #"{"value":\#(json)}"#).status == 200)
            #expect(storedValue(server.store, "default", "exact-\(index)").map { Array($0.unicodeScalars) } == Array(value.unicodeScalars))
        }
        try await server.finish()
    }

    /// The list envelope: newest first, a null description left out of list items, the reference's pagination
    /// block, and a page past the end that is empty rather than an error.
    @Test func listEnvelopeAndPagination() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        #expect(
            await server.send(
                "POST", secretsPath(), token: root, json: #"{"name":"hf-token","value":"\#(SecretValues.make())","description":"first"}"#
            ).status == 201)
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"nodesc","value":"\#(SecretValues.make())"}"#).status == 201)

        func page(_ query: String) async -> (names: [String]?, items: [[String: Any]], pagination: [String: Int]?, reply: RawResponse) {
            let reply = await server.send("GET", secretsPath() + query, token: root)
            let items = reply.object?["data"] as? [[String: Any]] ?? []
            return (
                (reply.object?["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, items,
                reply.object?["pagination"] as? [String: Int], reply
            )
        }
        let all = await page("")
        #expect(all.reply.status == 200)
        #expect(keys(of: all.reply) == ["data", "pagination"])
        #expect(all.names == ["nodesc", "hf-token"])
        #expect(all.items.first.map { Set($0.keys) } == metadataKeys.subtracting(["description"]), "a null description is left out: \(all.reply)")
        #expect(all.items.last?["description"] as? String == "first")
        #expect(all.items.allSatisfy { $0["value"] == nil })
        #expect(all.pagination == ["page": 1, "page_size": 10, "current_page_size": 2, "total_pages": 1, "total_results": 2])

        let second = await page("?page=2&page_size=1")
        #expect(second.names == ["hf-token"])
        #expect(second.pagination == ["page": 2, "page_size": 1, "current_page_size": 1, "total_pages": 2, "total_results": 2])

        let beyond = await page("?page=99&page_size=1")
        #expect(beyond.reply.status == 200)
        #expect(beyond.names == [])
        #expect(beyond.pagination == ["page": 99, "page_size": 1, "current_page_size": 0, "total_pages": 2, "total_results": 2])

        let large = await page("?page_size=1000")
        #expect(large.names?.count == 2)
        #expect(large.pagination?["page_size"] == 1000)

        // 25 more, read 10 at a time: every secret exactly once, newest first.
        for index in 0..<25 {
            #expect(
                await server.send("POST", secretsPath(), token: root, json: #"{"name":"bulk-\#(index)","value":"\#(SecretValues.make())"}"#).status
                    == 201)
        }
        var seen: [String] = []
        for number in 1...3 {
            let slice = await page("?page=\(number)&page_size=10")
            #expect(slice.pagination?["total_pages"] == 3 && slice.pagination?["total_results"] == 27)
            #expect(slice.pagination?["current_page_size"] == (number < 3 ? 10 : 7))
            seen += slice.names ?? []
        }
        #expect(seen == (0..<25).reversed().map { "bulk-\($0)" } + ["nodesc", "hf-token"])

        try server.store.createWorkspace(WorkspaceName("empty"))
        let empty = await server.send("GET", secretsPath("empty"), token: root)
        #expect(empty.status == 200)
        #expect((empty.object?["data"] as? [Any])?.isEmpty == true)
        #expect((empty.object?["pagination"] as? [String: Int])?["total_results"] == 0)
        try await server.finish()
    }

    /// `page` and `page_size` below 1 or not integers are 422 naming the parameter, FastAPI style; numbers too
    /// large to page with are refused, not a server error.
    @Test func pageParametersAreValidated() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let cases: [(query: String, parameter: String, type: String?)] = [
            ("page=0", "page", "greater_than"),
            ("page_size=0", "page_size", "greater_than"),
            ("page=abc", "page", "int_parsing"),
            ("page_size=abc", "page_size", "int_parsing"),
            ("page=-1", "page", "greater_than"),
            ("page=99999999999999999999", "page", "int_parsing"),
            ("page=1.5", "page", "int_parsing"),
            ("page=", "page", nil),
        ]
        for (query, parameter, type) in cases {
            let reply = await server.send("GET", secretsPath() + "?" + query, token: root)
            #expect(reply.status == 422, "\(query): \(reply)")
            #expect(firstLocation(reply) == ["query", parameter], "\(query): \(reply)")
            if let type { #expect(reply.validationIssues?.first?["type"] as? String == type, "\(query): \(reply)") }
            #expect(reply.validationIssues?.first?["msg"] is String, "\(query)")
        }
        let zero = await server.send("GET", secretsPath() + "?page=0", token: root)
        #expect(zero.validationIssues?.first?["msg"] as? String == "Input should be greater than 0")
        let overflow = await server.send("GET", secretsPath() + "?page=9223372036854775807&page_size=9223372036854775807", token: root)
        #expect(overflow.status == 422, "\(overflow)")
        try await server.finish()
    }

    /// PATCH: value, description or both; `{}` and a null description change nothing (not even `updated_at`);
    /// an empty string clears the description; an empty value is 422; other fields are ignored.
    @Test func updateSemantics() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let path = secretsPath("default", "hf-token")
        let created = await server.send(
            "POST", secretsPath(), token: root, json: #"{"name":"hf-token","value":"\#(SecretValues.make())","description":"first"}"#)
        let createdAt = try #require(created.object?["created_at"] as? String)
        var lastUpdated = try #require(created.object?["updated_at"] as? String)

        func update(_ json: String, description: String, changes: Bool, sourceLocation: SourceLocation = #_sourceLocation) async {
            let reply = await server.send("PATCH", path, token: root, json: json)
            #expect(reply.status == 200, "\(json): \(reply)", sourceLocation: sourceLocation)
            #expect(keys(of: reply) == metadataKeys, sourceLocation: sourceLocation)
            #expect(reply.object?["name"] as? String == "hf-token", sourceLocation: sourceLocation)
            #expect(reply.object?["description"] as? String == description, "\(json): \(reply)", sourceLocation: sourceLocation)
            #expect(reply.object?["created_at"] as? String == createdAt, sourceLocation: sourceLocation)
            let updated = reply.object?["updated_at"] as? String ?? ""
            if changes {
                #expect(updated >= lastUpdated, "\(json)", sourceLocation: sourceLocation)
            } else {
                #expect(updated == lastUpdated, "\(json) changes nothing", sourceLocation: sourceLocation)
            }
            lastUpdated = updated
        }
        func value() async -> String? {
            await server.send("GET", path + "/access", token: root).object?["value"] as? String
        }

        let second = SecretValues.make("second")
        await update(#"{"value":"\#(second)"}"#, description: "first", changes: true)
        #expect(await value() == second)
        await update(#"{"description":"second"}"#, description: "second", changes: true)
        #expect(await value() == second)
        let third = SecretValues.make("third")
        await update(#"{"description":"third","value":"\#(third)"}"#, description: "third", changes: true)
        #expect(await value() == third)
        await update("{}", description: "third", changes: false)
        await update(#"{"description":null}"#, description: "third", changes: false)
        await update(#"{"description":""}"#, description: "", changes: true)
        await update(#"{"name":"renamed"}"#, description: "", changes: false)
        #expect(await server.send("GET", secretsPath("default", "renamed"), token: root).status == 404)

        let emptyValue = await server.send("PATCH", path, token: root, json: #"{"value":""}"#)
        #expect(emptyValue.status == 422)
        #expect(firstLocation(emptyValue)?.first == "body", "\(emptyValue)")
        #expect(emptyValue.text.contains("value"), "the message names the field: \(emptyValue)")
        let numberValue = await server.send("PATCH", path, token: root, json: #"{"value":123}"#)
        #expect(numberValue.status == 422)
        #expect(firstLocation(numberValue) == ["body", "value"], "\(numberValue)")
        let numberDescription = await server.send("PATCH", path, token: root, json: #"{"description":5}"#)
        #expect(numberDescription.status == 422)
        #expect(firstLocation(numberDescription) == ["body", "description"], "\(numberDescription)")
        #expect(await server.send("PATCH", path, token: root, json: #"{"value":"x""#).status == 422)
        #expect(await server.send("PATCH", path, token: root, json: "[1]").status == 422)
        #expect(await value() == third, "refused updates change nothing")

        let missing = await server.send("PATCH", secretsPath("default", "nope"), token: root, json: #"{"value":"\#(SecretValues.make())"}"#)
        #expect(missing.status == 404)
        #expect(missing.detailMessage == "Secret default/nope not found")
        #expect(await server.send("GET", secretsPath("default", "nope"), token: root).status == 404, "an update does not create")
        try await server.finish()
    }

    /// Create bodies: each mistake is a 422 whose `loc` names the field, as FastAPI writes it; unknown fields are
    /// ignored; names follow the seed's rule (ASCII letters, digits, `.`, `_`, `-`, at most 255), not the
    /// reference's stricter pattern nor its Unicode `\w`.
    @Test func createValidation() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let value = SecretValues.make()
        let refused: [(body: String, location: [String], type: String?, message: String?)] = [
            (#"{"name":"bad name!","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"\#(String(repeating: "a", count: 256))","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"héllo","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"a/b","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"a+b","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"a@b","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"abc\n","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"nul\u0000","value":"\#(value)"}"#, ["body", "name"], nil, nil),
            ("{\"name\":\"\u{FEFF}bom\",\"value\":\"\(value)\"}", ["body", "name"], nil, nil),
            (#"{"name":5,"value":"\#(value)"}"#, ["body", "name"], "string_type", nil),
            (#"{"name":null,"value":"\#(value)"}"#, ["body", "name"], nil, nil),
            (#"{"name":"noval"}"#, ["body", "value"], "missing", "Field required"),
            (#"{"value":"\#(value)"}"#, ["body", "name"], "missing", "Field required"),
            (#"{"name":"numval","value":123}"#, ["body", "value"], "string_type", "Input should be a valid string"),
            (#"{"name":"boolval","value":true}"#, ["body", "value"], "string_type", nil),
            (#"{"name":"objval","value":{"a":"b"}}"#, ["body", "value"], "string_type", nil),
            (#"{"name":"desc","value":"\#(value)","description":5}"#, ["body", "description"], "string_type", nil),
            ("[1,2]", ["body"], "model_attributes_type", "Input should be a valid dictionary or object to extract fields from"),
            ("\"text\"", ["body"], "model_attributes_type", nil),
            ("", ["body", "name"], "missing", nil),
        ]
        for (body, location, type, message) in refused {
            let reply = await server.send("POST", secretsPath(), token: root, json: body)
            #expect(reply.status == 422, "\(body.prefix(80)): \(reply)")
            #expect(firstLocation(reply) == location, "\(body.prefix(80)): \(reply)")
            if let type { #expect(reply.validationIssues?.first?["type"] as? String == type, "\(body.prefix(80)): \(reply)") }
            if let message { #expect(reply.validationIssues?.first?["msg"] as? String == message, "\(body.prefix(80)): \(reply)") }
        }
        // An empty value: 422 with a message that says which field (the reference puts it at loc ["body"]).
        let emptyValue = await server.send("POST", secretsPath(), token: root, json: #"{"name":"emptyval","value":""}"#)
        #expect(emptyValue.status == 422)
        #expect(firstLocation(emptyValue)?.first == "body" && emptyValue.text.contains("value"), "\(emptyValue)")
        // Malformed JSON: json_invalid, located in the body (a trailing comma included, as Python's parser has it).
        for text in [#"{"name":"x","#, #"{"name":"tc","value":"v",}"#, #"{"name":"sq" "value":"v"}"#, "{'name':'q','value':'v'}", #"{"name":"x"}{"#] {
            let malformed = await server.send("POST", secretsPath(), token: root, json: text)
            #expect(malformed.status == 422, "\(text): \(malformed)")
            #expect(malformed.validationIssues?.first?["type"] as? String == "json_invalid", "\(text): \(malformed)")
            #expect(firstLocation(malformed)?.first == "body", "\(text): \(malformed)")
        }
        // A value over the store's 64 KiB limit is invalid, and the message names the field.
        let oversized = String(repeating: "v", count: SecretValue.maximumByteCount + 1 - SecretValues.marker.count) + SecretValues.marker
        let tooLarge = await server.send("POST", secretsPath(), token: root, json: #"{"name":"bigval","value":"\#(oversized)"}"#)
        #expect(tooLarge.status == 422)
        #expect(firstLocation(tooLarge) == ["body", "value"], "\(tooLarge)")
        #expect((try? server.store.listSecrets(in: .default).data.count) == 0, "nothing refused was stored")

        let accepted = [
            String(repeating: "a", count: 255), "my.key_v2", "wandb.key.production", "HF_TOKEN", "1abc", "_abc", "a", "a--b", "ab-",
            "extra1", ".hidden", "..",
        ]
        for name in accepted {
            let extra = name == "extra1" ? #","foo":1,"workspace":"team-z""# : ""
            let reply = await server.send(
                "POST", secretsPath(), token: root, json: #"{"name":"\#(name)","value":"\#(SecretValues.make())"\#(extra)}"#)
            #expect(reply.status == 201, "\(name.prefix(20)): \(reply)")
            #expect(reply.object?["name"] as? String == name)
            #expect(reply.object?["workspace"] as? String == "default", "the path's workspace, not the body's")
        }
        // Dotted names work in paths too (the reference's SecretRef pattern forgets dots).
        for name in ["my.key_v2", "wandb.key.production", ".hidden"] {
            #expect(await server.send("GET", secretsPath("default", name), token: root).status == 200, "\(name)")
            #expect(await server.send("GET", secretsPath("default", name + "/access"), token: root).status == 200, "\(name)")
        }
        let exactLimit = String(repeating: "v", count: SecretValue.maximumByteCount - SecretValues.marker.count) + SecretValues.marker
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"limit","value":"\#(exactLimit)"}"#).status == 201)
        try await server.finish()
    }

    /// Paths with names that cannot exist are simply not found, with the decoded name in the message.
    @Test func retrieveByAnImpossibleNameIsNotFound() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let spaced = await server.send("GET", secretsPath("default", "bad%20name!"), token: root)
        #expect(spaced.status == 404)
        #expect(spaced.detailMessage == "Secret default/bad name! not found")
        #expect(await server.send("GET", secretsPath("default", "abc%0A"), token: root).status == 404)
        #expect(await server.send("GET", secretsPath("default", "%FF%FE"), token: root).status == 404)
        #expect(await server.send("DELETE", secretsPath("default", "a%2Fb"), token: root).status == 404)
        #expect(await server.send("GET", secretsPath("default", String(repeating: "a", count: 256)), token: root).status == 404)
        try await server.finish()
    }

    /// A name travels percent-encoded and is decoded exactly once: `%2541` is the name `%41`, which cannot exist,
    /// not the name `A`.
    @Test func pathNamesAreDecodedOnce() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"aA","value":"\#(SecretValues.make())"}"#).status == 201)
        #expect(await server.send("GET", secretsPath("default", "a%41"), token: root).status == 200, "%41 is A")
        let doubleEncoded = await server.send("GET", secretsPath("default", "a%2541"), token: root)
        #expect(doubleEncoded.status == 404, "a%2541 names 'a%41', not 'aA': \(doubleEncoded)")
        let doubleEncodedDelete = await server.send("DELETE", secretsPath("default", "a%2541"), token: root)
        #expect(doubleEncodedDelete.status == 404, "\(doubleEncodedDelete)")
        #expect(storedValue(server.store, "default", "aA") != nil)
        try await server.finish()
    }

    /// DELETE answers 204 with no body, then the secret is gone from every route.
    @Test func deleteThenNotFound() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"nodesc","value":"\#(SecretValues.make())"}"#).status == 201)
        let deleted = await server.send("DELETE", secretsPath("default", "nodesc"), token: root)
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        let again = await server.send("DELETE", secretsPath("default", "nodesc"), token: root)
        #expect(again.status == 404)
        #expect(again.text == #"{"detail":"Secret default/nodesc not found"}"#)
        #expect(await server.send("GET", secretsPath("default", "nodesc"), token: root).status == 404)
        #expect(await server.send("GET", secretsPath("default", "nodesc/access"), token: root).status == 404)
        #expect(await server.send("GET", secretsPath(), token: root).object?["data"] as? [Any] != nil)
        #expect((await server.send("GET", secretsPath(), token: root).object?["data"] as? [Any])?.isEmpty == true)
        // The name is free again.
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"nodesc","value":"\#(SecretValues.make())"}"#).status == 201)
        try await server.finish()
    }

    /// A workspace that does not exist: 404 to read (the reference's messages), 422 to create in.
    @Test func unknownWorkspace() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let list = await server.send("GET", secretsPath("nosuchws"), token: root)
        #expect(list.status == 404)
        #expect(list.text == #"{"detail":"Workspace 'nosuchws' not found"}"#)
        let create = await server.send("POST", secretsPath("nosuchws"), token: root, json: #"{"name":"ok-name","value":"\#(SecretValues.make())"}"#)
        #expect(create.status == 422)
        #expect(create.detailMessage == "Workspace 'nosuchws' does not exist. Please create the workspace first.")
        let retrieve = await server.send("GET", secretsPath("nosuchws", "ok-name"), token: root)
        #expect(retrieve.status == 404)
        #expect(retrieve.detailMessage == "Secret nosuchws/ok-name not found")
        let access = await server.send("GET", secretsPath("nosuchws", "ok-name/access"), token: root)
        #expect(access.status == 404)
        #expect(access.detailMessage == "Secret nosuchws/ok-name not found")
        #expect(await server.send("PATCH", secretsPath("nosuchws", "ok-name"), token: root, json: #"{"description":"d"}"#).status == 404)
        #expect(await server.send("DELETE", secretsPath("nosuchws", "ok-name"), token: root).status == 404)
        // A workspace name that could never exist is just as missing.
        #expect(await server.send("GET", secretsPath("bad%20ws"), token: root).status == 404)
        #expect(
            await server.send("POST", secretsPath("bad%20ws"), token: root, json: #"{"name":"ok","value":"\#(SecretValues.make())"}"#).status == 422)
        try await server.finish()
    }

    /// Wrong methods 405, unknown routes 404, bodies over 1 MiB 413, all as `{"detail": ...}`; `/health` answers
    /// without credentials.
    @Test func routingAndLimits() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"hf-token","value":"\#(SecretValues.make())"}"#).status == 201)

        let put = await server.send("PUT", secretsPath("default", "hf-token"), token: root, json: #"{"value":"\#(SecretValues.make())"}"#)
        #expect(put.status == 405)
        #expect(put.text == #"{"detail":"Method Not Allowed"}"#)
        #expect(put.header("Content-Type")?.hasPrefix("application/json") == true)
        let getRotate = await server.send("GET", "\(api)/rotate-encryption-keys", token: root)
        #expect(getRotate.status == 405)
        #expect(getRotate.detailMessage == "Method Not Allowed")
        #expect(await server.send("HEAD", secretsPath("default", "hf-token"), token: root).status == 405)
        #expect(await server.send("DELETE", secretsPath(), token: root).status == 405)
        #expect(await server.send("POST", secretsPath("default", "hf-token/access"), token: root).status == 405)

        for unknown in ["\(api)/nope", "/nope", "\(api)/workspaces/default", secretsPath("default", "hf-token/access/more"), "/"] {
            let reply = await server.send("GET", unknown, token: root)
            #expect(reply.status == 404, "\(unknown): \(reply)")
            #expect(reply.detailMessage != nil, "\(unknown): \(reply)")
        }

        // Over 1 MiB: 413 before the body is read whole, for a create and an update, framed either way.
        let filler = String(repeating: "x", count: 1024 * 1024)
        let huge = Array(#"{"name":"huge","value":"\#(SecretValues.marker)\#(filler)"}"#.utf8)
        let tooLarge = await server.send("POST", secretsPath(), token: root, body: huge)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.detailMessage != nil, "\(tooLarge)")
        #expect(await server.send("PATCH", secretsPath("default", "hf-token"), token: root, body: huge).status == 413)
        let chunked = await server.send(raw: chunkedRequest("POST", secretsPath(), token: root, body: huge))
        #expect(chunked.response?.status == 413, "\(chunked)")
        // Exactly 1 MiB is within the limit (and then an invalid value, being over 64 KiB).
        let exact = Array(#"{"name":"big","value":""#.utf8) + Array(repeating: UInt8(ascii: "v"), count: 1024 * 1024 - 25) + Array(#""}"#.utf8)
        #expect(exact.count == 1024 * 1024)
        #expect(await server.send("POST", secretsPath(), token: root, body: exact).status == 422)
        #expect(storedValue(server.store, "default", "huge") == nil)

        let health = await server.send("GET", "/health")
        #expect(health.status == 200)
        #expect(health.object?["status"] as? String == "ok")
        try await server.finish()
    }

    /// The seed SDK's `data` field is an alias of `value`, on create and update.
    @Test func dataIsAnAliasOfValue() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let first = SecretValues.make("data")
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"seed-sdk","data":"\#(first)"}"#).status == 201)
        #expect(await server.send("GET", secretsPath("default", "seed-sdk/access"), token: root).object?["value"] as? String == first)
        let second = SecretValues.make("data2")
        #expect(await server.send("PATCH", secretsPath("default", "seed-sdk"), token: root, json: #"{"data":"\#(second)"}"#).status == 200)
        #expect(storedValue(server.store, "default", "seed-sdk") == second)
        let emptyData = await server.send("POST", secretsPath(), token: root, json: #"{"name":"empty-data","data":""}"#)
        #expect(emptyData.status == 422)
        #expect(emptyData.text.contains("data"), "the message names the field the caller used: \(emptyData)")
        try await server.finish()
    }

    /// Rotation re-wraps every data key under the current provider and says how many, on the current path and
    /// the seed's older one; a second run has nothing left to do; values survive, even with the old key gone.
    @Test func rotationReportsTheRealCount() async throws {
        let directory = TemporaryDirectory()
        let v1 = randomKey()
        let v2 = randomKey()
        let config = directory.file("config.yaml")
        var values: [String: String] = [:]
        try writeEncryptionConfig(config, current: "v1", [("v1", v1)])
        do {
            let store = try openStore(directory.path, config: config)
            try store.createWorkspace(WorkspaceName("team-a"))
            for index in 0..<7 {
                let reference = try SecretReference(parsing: index < 4 ? "default/old-\(index)" : "team-a/old-\(index)")
                values[reference.description] = SecretValues.make("old-\(index)")
                try store.createSecret(reference, value: SecretValue(values[reference.description]!))
            }
            try store.close()
        }

        try writeEncryptionConfig(config, current: "v2", [("v1", v1), ("v2", v2)])
        let server = try await TestServer.start(directory: directory, configFile: config)
        let root = try server.platformAdminToken()
        let fresh = SecretValues.make("fresh")
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"fresh","value":"\#(fresh)"}"#).status == 201)
        values["default/fresh"] = fresh

        let first = await server.send("POST", "\(api)/rotate-encryption-keys", token: root)
        #expect(first.status == 202)
        #expect(first.text == #"{"rotated_secrets":7,"success":true}"#, "\(first)")
        let second = await server.send("POST", "/v2/secrets/rotate-encryption-keys", token: root, json: "{}")
        #expect(second.status == 202)
        #expect(second.text == #"{"rotated_secrets":0,"success":true}"#, "\(second)")
        #expect(server.logs.lines.contains { $0.contains("Completed rotation of encryption keys for all secrets") })
        #expect(try server.store.secretCountsByProvider() == ["v2": 8])
        for (reference, value) in values {
            let parts = reference.split(separator: "/")
            let reply = await server.send("GET", secretsPath(String(parts[0]), "\(parts[1])/access"), token: root)
            #expect(reply.object?["value"] as? String == value, "\(reference)")
        }
        try await server.finish()

        // With v1 gone every value still opens: the rotation really moved them.
        try writeEncryptionConfig(config, current: "v2", [("v2", v2)])
        let store = try openStore(directory.path, config: config)
        for (reference, value) in values {
            #expect(try store.accessSecret(SecretReference(parsing: reference)).revealedString() == value)
        }
        try store.close()
    }

    /// Twenty creates of one name at once: exactly one wins, the others are 409s the SDK will not retry.
    @Test func concurrentCreatesOfOneName() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let values = (0..<20).map { SecretValues.make("race-\($0)") }
        let replies = await withTaskGroup(of: RawResponse.self) { group in
            for value in values {
                group.addTask { await server.send("POST", secretsPath(), token: root, json: #"{"name":"race-1","value":"\#(value)"}"#) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.filter { $0.status == 201 }.count == 1)
        #expect(replies.filter { $0.status == 409 }.count == 19)
        #expect(replies.filter { $0.status == 409 }.allSatisfy { $0.header("x-should-retry") == "false" })
        let stored = try #require(storedValue(server.store, "default", "race-1"))
        #expect(values.contains(stored))
        #expect(try server.store.listSecrets(in: .default).pagination.totalResults == 1)
        try await server.finish()
    }

    /// With auth disabled (loopback only) every caller is a local platform admin; the configuration refuses to
    /// serve without auth, or trusting gateway headers, on an address others can reach.
    @Test func authDisabledIsForLoopbackOnly() async throws {
        let server = try await TestServer.start(SecretsServerConfiguration(authentication: .disabled))
        let value = SecretValues.make()
        #expect(await server.send("POST", secretsPath(), json: #"{"name":"open","value":"\#(value)"}"#).status == 201)
        #expect(await server.send("GET", secretsPath("default", "open/access")).object?["value"] as? String == value)
        #expect(await server.send("POST", "\(api)/rotate-encryption-keys").status == 202)
        try await server.finish()

        #expect(throws: ServeConfigurationError.self) {
            try SecretsServerConfiguration(host: "0.0.0.0", authentication: .disabled).validate()
        }
        #expect(throws: ServeConfigurationError.self) {
            try SecretsServerConfiguration(host: "0.0.0.0", trustPrincipalHeaders: true).validate()
        }
        #expect(throws: ServeConfigurationError.self) {
            try SecretsServerConfiguration(authentication: .disabled, trustPrincipalHeaders: true).validate()
        }
        try SecretsServerConfiguration(host: "0.0.0.0", trustPrincipalHeaders: true, allowTrustedHeadersOffLoopback: true).validate()
        try SecretsServerConfiguration(host: "0.0.0.0").validate()
    }
}
