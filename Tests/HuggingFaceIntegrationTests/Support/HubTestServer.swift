import Foundation
import Glibc

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Hub test server (`Tests/HuggingFaceTests/hub_server.py --cdn`) as a child process, with its `/_test/`
/// control API: tokens, repositories, configuration, faults and the request log.
final class HubTestServer: @unchecked Sendable {
    let endpoint: String
    let cdnEndpoint: String
    private let pid: pid_t

    /// Starts a server and runs `body` with it; the server is stopped afterwards, whatever happens.
    static func with<T>(_ body: (HubTestServer) async throws -> T) async throws -> T {
        let server = try HubTestServer()
        do {
            let result = try await body(server)
            server.stop()
            return result
        } catch {
            server.stop()
            throw error
        }
    }

    /// Spawns python3 with posix_spawn and an EMPTY signal mask: Foundation's `Process` passes on the blocked
    /// signals of its spawning thread, and a child with SIGTERM blocked never stops.
    private init() throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HuggingFaceTests/hub_server.py").path
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw TestServerError("pipe failed") }
        _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments = ["python3", script, "--port", "0", "--cdn"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawnp(&child, "python3", &actions, &attributes, &argv, environ)
        close(pipe[1])
        guard spawned == 0 else {
            close(pipe[0])
            throw TestServerError("cannot start python3: \(String(cString: strerror(spawned)))")
        }
        pid = child
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(pipe[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        close(pipe[0])
        guard let info = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let endpoint = info["endpoint"] as? String, let cdn = info["cdn_endpoint"] as? String
        else {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            throw TestServerError("hub_server.py did not print its endpoints: \(String(decoding: line, as: UTF8.self))")
        }
        self.endpoint = endpoint
        self.cdnEndpoint = cdn
    }

    /// SIGTERM, then waits for the server to exit (it removes its data folder on the way out).
    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    // MARK: control API

    func addToken(_ token: String, user: String, write: Bool = false, grants: [String] = []) async throws {
        _ = try await control("POST", "/_test/tokens", ["token": token, "user": user, "write": write, "grants": grants])
    }

    /// Creates (or updates) a repository with `files` (path → bytes; `lfs` lists the paths stored as LFS) and
    /// returns the head commit.
    @discardableResult
    func addRepo(
        _ id: String, type: String = "model", visibility: String = "public", files: [String: Data], lfs: Set<String> = []
    ) async throws -> String {
        var specs: [String: Any] = [:]
        for (path, data) in files {
            specs[path] = ["base64": data.base64EncodedString(), "lfs": lfs.contains(path)]
        }
        let reply = try await control("POST", "/_test/repos", ["id": id, "type": type, "visibility": visibility, "files": specs])
        return (reply as? [String: Any])?["commit"] as? String ?? ""
    }

    func setConfig(_ values: [String: Any]) async throws {
        _ = try await control("POST", "/_test/config", values)
    }

    func setFaults(_ values: [String: Any]) async throws {
        _ = try await control("POST", "/_test/faults", values)
    }

    func clearLog() async throws {
        _ = try await control("DELETE", "/_test/log", nil)
    }

    /// The request log (hub and CDN), in arrival order.
    func log() async throws -> [LogEntry] {
        let reply = try await control("GET", "/_test/log", nil)
        let entries = (reply as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        return entries.map(LogEntry.init)
    }

    private func control(_ method: String, _ path: String, _ body: Any?) async throws -> Any {
        var request = URLRequest(url: URL(string: endpoint + path)!)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestServerError("\(method) \(path): \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: data)
    }
}

/// One request as the test server logged it.
struct LogEntry: Sendable {
    let server: String
    let method: String
    let path: String
    let status: Int
    let authorization: Bool
    let range: String?
    let fault: String?

    init(_ raw: [String: Any]) {
        server = raw["server"] as? String ?? ""
        method = raw["method"] as? String ?? ""
        path = raw["path"] as? String ?? ""
        status = raw["status"] as? Int ?? 0
        authorization = raw["authorization"] as? Bool ?? false
        range = raw["range"] as? String
        fault = raw["fault"] as? String
    }

    var isFileGET: Bool { method == "GET" && (path.contains("/resolve/") || path.hasPrefix("/_cdn/")) }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
