import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `serve` runs request tasks on its event loops, not on Swift's default thread pool: it installs them as the
/// global executor through the runtime's hook, found at link time (Sources/CExecutorHook), so that this holds
/// in the deployment build too, where the runtime is linked in statically and SwiftNIO's dlsym lookup fails.
struct EventLoopExecutorTests {
    @Test func serveInstallsItsEventLoopsAsTheGlobalExecutorAndAnswersThroughThem() async throws {
        let directory = TemporaryDirectory()
        let server = try await ServeProcess.start(dataDirectory: directory.path, arguments: ["--auth", "disabled"])
        defer { server.send(SIGKILL) }
        let startLine = try #require(server.log.split(separator: "\n").first { $0.contains("Serving the secrets API") })
        #expect(startLine.contains("tasks=event loops"), "the start line says where tasks run: \(startLine)")

        // Every handler now runs through the installed hook; requests from many connections at once, each
        // answered, show that the hook enqueues jobs where they run (a wrong hook would crash or hang them).
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let target = index.isMultiple(of: 2) ? "/health" : "/apis/secrets/v2/workspaces/default/secrets"
                    return await RawHTTPClient.exchange(port: server.port, RawRequest(method: "GET", target: target)).response?.status ?? 0
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 64 && statuses.allSatisfy { $0 == 200 }, "statuses: \(statuses.sorted())")
        #expect(server.isRunning, "the server is still up:\n\(server.crashReport)")
    }
}
