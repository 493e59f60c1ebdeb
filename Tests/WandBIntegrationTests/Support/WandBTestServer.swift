import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The W&B protocol test server (`Tests/WandBTests/wandb_server.py`, proven against the real wandb client) as a
/// child process on 127.0.0.1, with its `/_test` control API. State is journalled to a file, so ``kill()`` and
/// ``restart()`` model a W&B outage without losing what the server stored.
final class WandBTestServer: @unchecked Sendable {
    static let key = "local-jobrunner-0123456789abcdef0123456789abcdef"
    static let entity = "testuser"
    static let project = "nvidia-nemo-customizer"

    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let serverScript = testsDirectory.appendingPathComponent("WandBTests/wandb_server.py").path
    static let referenceReporterDirectory = testsDirectory.appendingPathComponent("WandBTests").path

    let statePath: String
    private(set) var port: Int
    /// The server; it keeps the pipe of the server's standard input (the lifeline) open while it exists.
    private var process: Process

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server accepting ``key`` for ``entity``, journalling to `statePath`.
    init(statePath: String, port: Int = 0) throws {
        self.statePath = statePath
        (process, self.port) = try Self.launch(statePath: statePath, port: port)
    }

    deinit { stop() }

    private static func launch(statePath: String, port: Int) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The server dies with the test process even when a test crashes: it exits when its standard input, a pipe
        // only this process writes to, reaches end of file. (PR_SET_PDEATHSIG would fire when the *thread* that
        // started it exits, and the threads of Swift's concurrency pool come and go: servers died mid-test.)
        let dieWithParent = """
            import os, runpy, sys, threading
            def watch():
                sys.stdin.buffer.read()
                os._exit(0)
            threading.Thread(target=watch, daemon=True).start()
            sys.argv = sys.argv[1:]
            runpy.run_path(sys.argv[0], run_name="__main__")
            """
        process.arguments = [
            "python3", "-c", dieWithParent, serverScript, "--port", String(port), "--key", "\(key)=\(entity)",
            "--state", statePath,
        ]
        let output = Pipe()
        let lifeline = Pipe()
        process.standardInput = lifeline
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw ServerError.didNotStart(text) }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on http://127.0.0.1:"),
            let port = Int(text[range.upperBound...].prefix { $0.isNumber })
        else { throw ServerError.didNotStart(text) }
        return (process, port)
    }

    /// Stops the server and waits for it (SIGKILL: everything it stored is in its journal already).
    func stop() {
        kill()
    }

    /// Kills the server (SIGKILL): connection refused from now on, state kept in the journal.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts the server again on the same port with the same journal.
    func restart() throws {
        (process, port) = try Self.launch(statePath: statePath, port: port)
    }

    /// The run the server stored under the test entity and project, or nil.
    func run(_ runID: String, project: String = WandBTestServer.project) async throws -> [String: Any]? {
        let (data, status) = try await request("GET", "/_test/runs/\(Self.entity)/\(project)/\(runID)")
        if status == 404 { return nil }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// The server's request log.
    func requests() async throws -> [[String: Any]] {
        let (data, _) = try await request("GET", "/_test/requests")
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["requests"] as? [[String: Any]] ?? []
    }

    /// Sets fault switches (`fail_every`, `fail_after_apply`, `delay`, `auth_status`, `paths`, ...).
    func setFaults(_ faults: [String: Any]) async throws {
        _ = try await request("POST", "/_test/faults", body: try JSONSerialization.data(withJSONObject: faults))
    }

    /// Clears every fault switch.
    func clearFaults() async throws {
        try await setFaults([
            "fail_next": 0, "fail_every": 0, "fail_after_apply": false, "delay": 0.0, "auth_status": NSNull(), "paths": NSNull(),
            "body_contains": NSNull(), "stop_runs": false,
        ])
    }

    private func request(_ method: String, _ path: String, body: Data? = nil) async throws -> (Data, Int) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    enum ServerError: Error { case didNotStart(String) }
}
