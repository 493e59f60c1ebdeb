import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `jobrunner serve` and `jobrunner auth` through the real binary: refusals that protect secrets, tokens shown
/// once and never stored, one log line per request without values, graceful stop on SIGTERM.
@Suite("serve and auth commands")
struct ServeCommandTests {
    /// A running `jobrunner serve --port 0` child and the port it reports.
    struct RunningServer {
        let child: ChildProcess
        let port: Int

        init(_ sandbox: Sandbox, _ extra: [String] = []) throws {
            child = try sandbox.start(["serve", "--port", "0"] + extra)
            var found: Int?
            for _ in 0..<600 where found == nil && child.isRunning {
                if let range = child.errorOutputSoFar.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    found = Int(child.errorOutputSoFar[range].split(separator: ":").last!)
                } else {
                    usleep(50_000)
                }
            }
            guard let found else {
                child.send(SIGKILL)
                throw ChildProcessError("serve did not report a port: \(child.errorOutputSoFar)")
            }
            port = found
        }

        /// Sends one request and returns status and body.
        func request(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws
            -> (status: Int, body: String)
        {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body { request.httpBody = Data(body.utf8) }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
        }
    }

    @Test func refusesToServeWithoutAuthenticationOffLoopback() throws {
        let sandbox = try Sandbox()
        let refused = try sandbox.run(["serve", "--host", "0.0.0.0", "--auth", "disabled"])
        #expect(refused.exitCode == 2)
        #expect(refused.errorOutput.contains("refusing to serve on 0.0.0.0 with --auth disabled"), "\(refused)")
        let headers = try sandbox.run(["serve", "--host", "0.0.0.0", "--trust-principal-headers"])
        #expect(headers.exitCode == 2)
        #expect(headers.errorOutput.contains("X-NMP-Principal-Id"), "\(headers)")
    }

    @Test func tokensAreShownOnceStoredHashedAndRevocable() async throws {
        let sandbox = try Sandbox()
        let created = try sandbox.succeed(["auth", "token", "create", "--principal", "admin"])
        let token = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("jrt_") && token.count > 60, "\(created)")
        try sandbox.succeed(["auth", "grant", "admin", "PlatformAdmin"])
        try sandbox.succeed(["auth", "token", "create", "--principal", "service:jobs", "--service"])
        let listed = try sandbox.succeed(["auth", "list", "--output", "json"]).jsonObject()
        let principals = try #require(listed["data"] as? [[String: Any]])
        #expect(principals.map { $0["name"] as? String } == ["admin", "service:jobs"])
        #expect(principals.map { $0["service"] as? Bool } == [false, true])
        #expect(principals.map { $0["active_tokens"] as? Int } == [1, 1])
        #expect(!sandbox.databaseFiles.contains { (try? Data(contentsOf: $0))?.range(of: Data(token.utf8)) != nil })
        let verifier = String(token.split(separator: "_").last!)
        #expect(!sandbox.databaseFiles.contains { (try? Data(contentsOf: $0))?.range(of: Data(verifier.utf8)) != nil })

        let server = try RunningServer(sandbox)
        #expect(try await server.request("GET", "/apis/secrets/v2/workspaces/default/secrets", token: token).status == 200)
        try sandbox.succeed(["auth", "token", "revoke", "--principal", "admin"])
        // Revoked from another process: the server trusts a checked token for at most one second.
        var status = 200
        for _ in 0..<40 where status != 401 {
            status = try await server.request("GET", "/apis/secrets/v2/workspaces/default/secrets", token: token).status
            if status != 401 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(status == 401, "a token revoked by 'auth token revoke' stops working within seconds")
        server.child.send(SIGTERM)
        #expect(server.child.wait().exitCode == 0)
    }

    @Test func roleCommandsRejectMistakesWithTheDocumentedExitCodes() throws {
        let sandbox = try Sandbox()
        try sandbox.succeed(["workspaces", "create", "team-a"])
        try sandbox.succeed(["auth", "grant", "alice", "Editor", "--workspace", "team-a"])
        try sandbox.succeed(["auth", "grant", "alice", "viewer", "--workspace", "team-a"])  // replaces, any case
        let listed = try sandbox.succeed(["auth", "list", "--output", "json"]).jsonObject()
        let alice = try #require((listed["data"] as? [[String: Any]])?.first)
        #expect((alice["roles"] as? [[String: Any]])?.map { $0["role"] as? String } == ["Viewer"])

        #expect(try sandbox.run(["auth", "grant", "alice", "Owner", "--workspace", "team-a"]).exitCode == 2)
        #expect(try sandbox.run(["auth", "grant", "alice", "PlatformAdmin", "--workspace", "team-a"]).exitCode == 2)
        #expect(try sandbox.run(["auth", "grant", "alice", "Viewer"]).exitCode == 2)
        #expect(try sandbox.run(["auth", "grant", "alice", "Viewer", "--workspace", "nowhere"]).exitCode == 3)
        #expect(try sandbox.run(["auth", "revoke", "alice", "--workspace", "default"]).exitCode == 3)
        #expect(try sandbox.run(["auth", "revoke", "alice"]).exitCode == 2)
        #expect(try sandbox.run(["auth", "token", "revoke", "--principal", "nobody"]).exitCode == 3)
        try sandbox.succeed(["auth", "token", "create", "--principal", "bob"])
        #expect(try sandbox.run(["auth", "token", "create", "--principal", "bob", "--service"]).exitCode == 5)
        try sandbox.succeed(["auth", "revoke", "alice", "--workspace", "team-a"])
    }

    @Test func logsOneLinePerRequestWithoutValuesAndStopsGracefully() async throws {
        let sandbox = try Sandbox()
        let token = try sandbox.succeed(["auth", "token", "create", "--principal", "root"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try sandbox.succeed(["auth", "grant", "root", "PlatformAdmin"])
        let value = "log-scan-\(UUID().uuidString)"
        let server = try RunningServer(sandbox)
        let secrets = "/apis/secrets/v2/workspaces/default/secrets"
        #expect(try await server.request("GET", "/health").status == 200)
        #expect(try await server.request("POST", secrets, token: token, body: #"{"name":"k","value":"\#(value)"}"#).status == 201)
        let accessed = try await server.request("GET", "\(secrets)/k/access", token: token)
        #expect(accessed.status == 200 && accessed.body.contains(value))
        #expect(try await server.request("PATCH", "\(secrets)/k", token: token, body: #"{"value":""}"#).status == 422)
        #expect(try await server.request("GET", secrets, token: "jrt_wrong").status == 401)
        server.child.send(SIGTERM)
        let result = server.child.wait()
        #expect(result.exitCode == 0, "\(result)")
        let requestLines = result.errorOutput.split(separator: "\n").filter { $0.contains("method=") }
        #expect(requestLines.count == 5, "\(result.errorOutput)")
        #expect(requestLines.contains { $0.contains("method=POST") && $0.contains("status=201") && $0.contains("principal=root") })
        #expect(requestLines.allSatisfy { $0.contains("duration_ms=") && $0.contains("path=/") })
        #expect(!result.errorOutput.contains(value))
        #expect(!result.errorOutput.contains(token))
        #expect(result.errorOutput.contains("the database is closed"))
        // The store is intact and closed cleanly: a new process reads the value.
        #expect(try sandbox.succeed(["secrets", "access", "k"]).output == value)
    }
}
