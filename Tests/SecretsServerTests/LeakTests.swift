import Foundation
import SecretStore
import SecretsServer
import Testing

/// No response but a `200` from `/access`, and no log line, ever holds a value.
///
/// Every test here and in the matrix and contract suites ends with ``TestServer/finish(sourceLocation:)``,
/// which scans all of its exchanges and log lines; these tests add the paths most likely to echo a value
/// (the reference echoes the whole body in some 422s) and prove the scan itself finds what it looks for.
struct LeakTests {
    /// The scan must fail on a planted leak, or a passing scan proves nothing.
    @Test func scannerFindsPlantedLeaks() {
        let value = SecretValues.make()
        func exchange(_ path: String, _ status: Int, body: String, headers: [(String, String)] = []) -> Exchange {
            Exchange(
                request: RawRequest(method: "GET", target: path), path: path,
                outcome: .response(RawResponse(status: status, headers: headers, body: Array(body.utf8))))
        }
        let allowed = exchange(secretsPath("default", "x/access"), 200, body: #"{"value":"\#(value)"}"#)
        #expect(LeakScanner.leaks(in: [allowed], logLines: []).isEmpty)
        #expect(LeakScanner.leaks(in: [exchange(secretsPath("default", "x/access"), 404, body: value)], logLines: []).count == 1)
        #expect(LeakScanner.leaks(in: [exchange(secretsPath("default", "x"), 200, body: value)], logLines: []).count == 1)
        #expect(LeakScanner.leaks(in: [exchange(secretsPath(), 422, body: "{}", headers: [("X-Echo", value)])], logLines: []).count == 1)
        #expect(LeakScanner.leaks(in: [], logLines: ["info: request value=\(value)"]).count == 1)
        #expect(LeakScanner.leaks(in: [allowed], logLines: [], tokens: ["jrt_abc"]).isEmpty)
        #expect(LeakScanner.leaks(in: [], logLines: ["debug: jrt_abc"], tokens: ["jrt_abc"]).count == 1)
    }

    /// Requests that carry a value and fail in every way the contract knows: the refusal never repeats it.
    @Test func refusedRequestsNeverEchoTheValue() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let viewer = try server.token(for: "viewer")
        try server.store.grant(.viewer, to: "viewer", in: .default)
        let value = SecretValues.make("echo")
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"kept","value":"\#(value)"}"#).status == 201)

        let refusals: [(token: String?, method: String, path: String, body: String, status: Int)] = [
            (root, "POST", secretsPath(), #"{"value":"\#(value)"}"#, 422),  // the reference echoes this body
            (root, "POST", secretsPath(), #"{"name":"bad name!","value":"\#(value)"}"#, 422),
            (root, "POST", secretsPath(), #"{"name":"kept","value":"\#(value)"}"#, 409),
            (root, "POST", secretsPath(), #"{"name":"arr","value":["\#(value)"]}"#, 422),
            (root, "POST", secretsPath(), #"{"name":"obj","value":{"k":"\#(value)"}}"#, 422),
            (root, "POST", secretsPath(), #"{"name":"trunc","value":"\#(value)""#, 422),
            (root, "POST", secretsPath(), #"{"name":"trunc","value":"\#(value)"#, 422),
            (root, "POST", secretsPath(), #"{"name":"desc","value":"\#(value)","description":7}"#, 422),
            (root, "POST", secretsPath(), #"{"name":"data","data":["\#(value)"]}"#, 422),
            (root, "POST", secretsPath("nosuchws"), #"{"name":"nows","value":"\#(value)"}"#, 422),
            (root, "PATCH", secretsPath("default", "missing"), #"{"value":"\#(value)"}"#, 404),
            (root, "PATCH", secretsPath("default", "kept"), #"{"value":"\#(value)","description":[1]}"#, 422),
            (root, "PATCH", secretsPath("default", "kept"), #"{"value":["\#(value)"]}"#, 422),
            (root, "PUT", secretsPath("default", "kept"), #"{"value":"\#(value)"}"#, 405),
            (viewer, "POST", secretsPath(), #"{"name":"denied","value":"\#(value)"}"#, 403),
            (viewer, "PATCH", secretsPath("default", "kept"), #"{"value":"\#(value)"}"#, 403),
            (nil, "POST", secretsPath(), #"{"name":"anon","value":"\#(value)"}"#, 401),
            ("jrt_\(value)", "POST", secretsPath(), #"{"name":"anon","value":"\#(value)"}"#, 401),
        ]
        for refusal in refusals {
            let reply = await server.send(refusal.method, refusal.path, token: refusal.token, json: refusal.body)
            #expect(reply.status == refusal.status, "\(refusal.method) \(refusal.body.prefix(60)): \(reply)")
        }
        // Values the store refuses: too large, not UTF-8.
        let oversized = SecretValues.marker + String(repeating: "v", count: SecretValue.maximumByteCount)
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"big","value":"\#(oversized)"}"#).status == 422)
        let invalidUTF8 = Array(#"{"name":"bin","value":"\#(SecretValues.marker)"#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(await server.send("POST", secretsPath(), token: root, body: invalidUTF8).status == 422)
        // Over 1 MiB, refused before it is read.
        let huge = Array(#"{"name":"huge","value":"\#(SecretValues.marker)\#(String(repeating: "x", count: 1 << 20))"}"#.utf8)
        #expect(await server.send("POST", secretsPath(), token: root, body: huge).status == 413)
        // The positive control: the one place a value may appear.
        #expect(await server.send("GET", secretsPath("default", "kept/access"), token: root).object?["value"] as? String == value)
        try await server.finish()
    }

    /// A secret the server cannot decrypt (its key provider was removed) fails with 500, and neither the reply
    /// nor the error logged for the operator holds the value.
    @Test func undecryptableSecretFailsWithoutTheValue() async throws {
        let directory = TemporaryDirectory()
        let config = directory.file("config.yaml")
        try writeEncryptionConfig(config, current: "v1", [("v1", randomKey())])
        do {
            let store = try openStore(directory.path, config: config)
            try store.createSecret(SecretReference(parsing: "default/orphan"), value: SecretValue(SecretValues.make("orphan")))
            try store.close()
        }
        try writeEncryptionConfig(config, current: "v2", [("v2", randomKey())])
        let server = try await TestServer.start(directory: directory, configFile: config)
        let root = try server.platformAdminToken()
        let reply = await server.send("GET", secretsPath("default", "orphan/access"), token: root)
        #expect(reply.status == 500)
        #expect(reply.detailMessage != nil)
        #expect(await server.send("GET", secretsPath("default", "orphan"), token: root).status == 200, "metadata needs no key")
        let rotation = await server.send("POST", "\(api)/rotate-encryption-keys", token: root)
        #expect(rotation.status == 202)
        #expect(rotation.text == #"{"rotated_secrets":0,"success":false}"#, "\(rotation)")
        try await server.finish()
    }

    /// The request log has one line per request with method, path, status and principal (never a body), and
    /// bearer tokens appear in no log line.
    @Test func requestLogLinesCarryNoBodiesOrTokens() async throws {
        let server = try await TestServer.start()
        let root = try server.platformAdminToken()
        let value = SecretValues.make("logged")
        #expect(await server.send("POST", secretsPath(), token: root, json: #"{"name":"logged","value":"\#(value)"}"#).status == 201)
        #expect(await server.send("GET", secretsPath("default", "logged/access"), token: root).status == 200)
        #expect(await server.send("GET", secretsPath("default", "logged/access")).status == 401)
        let requestLines = server.logs.lines.filter { $0.contains("path=\(secretsPath("default", "logged/access"))") }
        #expect(requestLines.count == 2, "one line per request: \(requestLines)")
        #expect(requestLines.contains { $0.contains("status=200") && $0.contains("principal=root") && $0.contains("method=GET") })
        #expect(requestLines.contains { $0.contains("status=401") })
        try await server.finish()
    }
}
