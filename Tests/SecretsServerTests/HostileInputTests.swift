import Foundation
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ten thousand generated hostile requests against `jobrunner serve` (a child process, so a crash fails this test
/// and nothing else): every one is answered without a 5xx (or, when it breaks HTTP itself, the connection is
/// closed cleanly), the server still answers `/health`, shuts down cleanly, and the store is exactly as before.
///
/// Reproducible: the generator is seeded (`HOSTILE_SEED` overrides the default), and every failure names the
/// request's index and bytes.
struct HostileInputTests {
    static let requestCount = 10_000
    static let connections = 8

    @Test func tenThousandHostileRequestsChangeNothing() async throws {
        let seed = ProcessInfo.processInfo.environment["HOSTILE_SEED"].flatMap { UInt64($0) } ?? 0x5EC2_E75E_ED00_0001
        let directory = TemporaryDirectory()

        // The store the child will serve: secrets in two workspaces, a viewer, and a platform admin.
        let viewerToken: String
        let adminToken: String
        let before: StoreSnapshot
        do {
            let store = try openStore(directory.path)
            try store.createWorkspace(WorkspaceName("team-a"))
            for reference in ["default/target", "default/other.key", "default/kept", "team-a/target"] {
                try store.createSecret(SecretReference(parsing: reference), value: SecretValue(SecretValues.make()), description: "before")
            }
            viewerToken = try #require(try store.createToken(for: "viewer", isService: false).revealedString())
            adminToken = try #require(try store.createToken(for: "root", isService: false).revealedString())
            try store.grant(.viewer, to: "viewer", in: .default)
            try store.grant(.viewer, to: "viewer", in: WorkspaceName("team-a"))
            try store.grant(.platformAdmin, to: "root", in: nil)
            before = try StoreSnapshot(of: store)
            try store.close()
        }

        // A copy of the store as it was, to replay suspects against if the server dies.
        let pristine = TemporaryDirectory()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            try FileManager.default.copyItem(atPath: directory.file(file), toPath: pristine.file(file))
        }

        let server = try await ServeProcess.start(dataDirectory: directory.path)
        let make: @Sendable (Int) -> HostileRequest = { index in
            // Each request from its own seed, so any one can be made again alone.
            var generator = HostileRequestGenerator(
                seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15), viewerToken: viewerToken, adminToken: adminToken)
            return generator.make(index)
        }
        let failures = await Self.send(Self.requestCount, to: server.port, making: make).value.sorted { $0.index < $1.index }

        var mishandled = failures
        if let firstRefused = failures.first(where: { $0.serverGone }) {
            // The server died: find which request killed it by replaying those in flight around then, alone.
            let crashWindow = max(0, firstRefused.index - 4 * Self.connections)
            let killer = try await Self.findKiller(among: Array(crashWindow..<firstRefused.index), pristine: pristine, make: make)
            Issue.record(
                """
                seed \(seed): the server died during the barrage; from request #\(firstRefused.index) on, \
                \(failures.filter(\.serverGone).count) requests found it gone. \(killer ?? "No single request replayed alone kills it.")
                """)
            // What failed from the crash on is its consequence, reported above.
            mishandled = failures.filter { $0.index < crashWindow }
        }
        for failure in mishandled.prefix(25) {
            Issue.record("seed \(seed), request #\(failure.index): \(failure.problem)\n\(failure.request)")
        }
        #expect(mishandled.count == 0, "\(mishandled.count) hostile requests were mishandled (first 25 above); seed \(seed)")

        let health = await RawHTTPClient.exchange(port: server.port, RawRequest(method: "GET", target: "/health"))
        #expect(health.response?.status == 200, "the server still answers after the barrage: \(health)")

        server.send(SIGTERM)
        #expect(await server.exitStatus() == 0, "a clean exit after the barrage:\n\(server.crashReport)")
        let log = server.log
        #expect(!SecretValues.contains(Array(log.utf8)), "no value in the server's log")
        #expect(!log.contains(viewerToken) && !log.contains(adminToken), "no token in the server's log")

        let store = try openStore(directory.path)
        let after = try StoreSnapshot(of: store)
        try store.close()
        #expect(after == before, "the store changed:\nbefore \(before)\nafter \(after)")
    }

    /// Paging arithmetic with the largest numbers: every request answered (200 or 422), never a crash.
    ///
    /// Its own test, each query against its own child over a copy of one store, because such a request can kill
    /// the whole server, and the barrage above then only reports thousands of refused connections after it.
    @Test(arguments: [
        "page_size=9223372036854775807", "page=2&page_size=9223372036854775807", "page_size=9223372036854775806",
        "page=2&page_size=4611686018427387904", "page=9223372036854775807&page_size=1", "page=9223372036854775807",
    ])
    func hugePageNumbersAreAnsweredNotACrash(_ query: String) async throws {
        let directory = TemporaryDirectory()
        let token: String
        do {
            let store = try openStore(directory.path)
            try store.createSecret(SecretReference(parsing: "default/one"), value: SecretValue(SecretValues.make()))
            token = try #require(try store.createToken(for: "viewer", isService: false).revealedString())
            try store.grant(.viewer, to: "viewer", in: .default)
            try store.close()
        }
        let server = try await ServeProcess.start(dataDirectory: directory.path)
        let request = RawRequest(method: "GET", target: secretsPath() + "?" + query, headers: [("Authorization", "Bearer \(token)")])
        let outcome = await RawHTTPClient.exchange(port: server.port, request)
        let status = outcome.response?.status ?? 0
        #expect(status == 200 || status == 422, "GET ?\(query): \(outcome)")
        let health = await RawHTTPClient.exchange(port: server.port, RawRequest(method: "GET", target: "/health"))
        guard health.response?.status == 200 else {
            _ = await server.exitStatus()
            Issue.record("GET ?\(query) (a Viewer's request) killed the server:\n\(server.crashReport)")
            return
        }
        server.send(SIGTERM)
        #expect(await server.exitStatus() == 0)
    }

    /// One mishandled request.
    struct Failure: Sendable {
        let index: Int
        let problem: String
        let request: String
        /// Whether the connection was refused: the server was no longer there.
        let serverGone: Bool
    }

    /// Replays each suspect alone against a fresh server over a copy of the original store; describes the first
    /// that kills it, with the crash report.
    static func findKiller(
        among suspects: [Int], pristine: TemporaryDirectory, make: @Sendable (Int) -> HostileRequest
    ) async throws -> String? {
        for index in suspects {
            let directory = TemporaryDirectory()
            for file in try FileManager.default.contentsOfDirectory(atPath: pristine.path) {
                try FileManager.default.copyItem(atPath: pristine.file(file), toPath: directory.file(file))
            }
            let server = try await ServeProcess.start(dataDirectory: directory.path)
            let hostile = make(index)
            _ = await RawHTTPClient.exchange(port: server.port, hostile.request)
            let health = await RawHTTPClient.exchange(port: server.port, RawRequest(method: "GET", target: "/health"))
            if health.response?.status != 200 {
                _ = await server.exitStatus()
                return "Request #\(index) alone kills it:\n\(hostile.request)\n\(server.crashReport)"
            }
            server.send(SIGKILL)
            _ = await server.exitStatus()
        }
        return nil
    }

    /// Sends every request over `connections` parallel connections (one connection per request, on plain
    /// threads) and returns what went wrong.
    static func send(_ count: Int, to port: Int, making make: @escaping @Sendable (Int) -> HostileRequest) async -> Locked<[Failure]> {
        let failures = Locked<[Failure]>([])
        let next = Locked(0)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                DispatchQueue.concurrentPerform(iterations: connections) { _ in
                    while true {
                        var index = 0
                        next.update {
                            index = $0
                            $0 += 1
                        }
                        guard index < count else { return }
                        let hostile = make(index)
                        let outcome = RawHTTPClient.exchange(port: port, hostile.request)
                        if let problem = judge(hostile, outcome) {
                            let gone: Bool
                            if case .connectFailed = outcome { gone = true } else { gone = false }
                            failures.update {
                                $0.append(Failure(index: index, problem: problem, request: hostile.request.description, serverGone: gone))
                            }
                        }
                    }
                }
                continuation.resume()
            }.start()
        }
        return failures
    }

    /// What is wrong with how `hostile` was answered, or nil when it was answered well.
    static func judge(_ hostile: HostileRequest, _ outcome: ExchangeOutcome) -> String? {
        let path = TestServer.path(of: hostile.request)
        switch outcome {
        case let .response(response):
            if response.status >= 500 { return "answered \(response)" }
            let succeeded = (200..<300).contains(response.status)
            if succeeded && (hostile.credential == .none || hostile.credential == .garbage) && !hostile.targetsHealth {
                return "an unauthenticated request succeeded: \(response)"
            }
            if succeeded && hostile.credential == .viewer && ["POST", "PATCH", "DELETE", "PUT"].contains(hostile.method) {
                return "a viewer's \(hostile.method) succeeded: \(response)"
            }
            let leaks = LeakScanner.leaks(in: [Exchange(request: hostile.request, path: path, outcome: outcome)], logLines: [])
            return leaks.isEmpty ? nil : leaks.joined(separator: "; ")
        case .closedWithoutResponse:
            return hostile.mustBeAnswered ? "a well-formed request got no response: \(outcome)" : nil
        case .noAnswer, .connectFailed:
            return "\(outcome)"
        }
    }
}
