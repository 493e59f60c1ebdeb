import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Remote mode: the runner resolves references through a real `jobrunner serve` as a service principal on behalf
/// of the job's owner, and says clearly when the owner may not, the token is wrong, or the service is not there.
@Suite("jobrunner exec: remote mode")
struct RemoteModeTests {
    @Test("exec reads secrets through the service for the owner; forbidden and bad-token failures are explained")
    func execResolvesThroughTheServiceOnBehalfOfTheOwner() throws {
        try SecretDirectoryGate.shared {
            let service = try Sandbox(key: TestKey(name: "v1"))
            try service.createWorkspace("ws")
            try service.createWorkspace("other")
            let value = "remote-\(randomHex(24))"
            try service.createSecret("ws/s", value: value)
            try service.createSecret("other/o", value: "other-\(randomHex(24))")
            let token = try service.succeed(["auth", "token", "create", "--principal", "jobrunner", "--service"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try service.succeed(["auth", "grant", "alice", "Viewer", "--workspace", "ws"])
            let server = try ServeCommandTests.RunningServer(service)
            defer {
                server.child.send(SIGTERM)
                _ = server.child.wait()
            }

            // The runner keeps only its records locally.
            let runner = try Sandbox()
            let tokenFile = try runner.file("service-token", token + "\n")
            let url = "http://127.0.0.1:\(server.port)"
            let remote = ["--secrets-url", url, "--service-token-file", tokenFile, "--owner", "alice"]
            let show = ["sh", "-c", #"printf '%s' "$T" | sha256sum; echo "T=$T""#]

            let granted = try runner.run(["exec"] + remote + ["--env", "T=ws/s", "--"] + show)
            #expect(granted.exitCode == 0, "\(granted)")
            #expect(granted.output == "\(sha256Hex(value))  -\nT=****\n", "\(granted)")
            let job = try runner.latestJobID()
            #expect(try runner.jobRecord(job)["owner"] as? String == "alice")
            let audit = try runner.auditRecords(job: job)
            #expect(audit.count == 1 && audit.first?["outcome"] as? String == "granted", "\(audit)")
            #expect((audit.first?["principal"] as? String)?.contains("alice") == true, "\(audit)")

            // alice has no role in workspace other.
            let marker = runner.path("step-ran")
            let forbidden = try runner.run(["exec"] + remote + ["--env", "O=other/o", "--", "touch", marker])
            #expect(forbidden.exitCode == 125, "\(forbidden)")
            #expect(forbidden.errorOutput.contains("other/o: forbidden"), "\(forbidden)")
            #expect(!FileManager.default.fileExists(atPath: marker))

            let wrongTokenFile = try runner.file("wrong-token", "jrt_not_a_real_token_\(randomHex(40))")
            let wrongToken = try runner.run(
                ["exec", "--secrets-url", url, "--service-token-file", wrongTokenFile, "--owner", "alice", "--env", "T=ws/s", "--", "touch", marker])
            #expect(wrongToken.exitCode == 125, "\(wrongToken)")
            #expect(wrongToken.errorOutput.contains("service token"), "the error should point at the token: \(wrongToken)")
            #expect(!FileManager.default.fileExists(atPath: marker))

            // The same settings from the environment, with the NeMo job backends' variable.
            let fromEnvironment = try runner.run(
                ["exec", "--"] + show,
                environment: [
                    "JOBRUNNER_SECRETS_URL": url, "JOBRUNNER_SERVICE_TOKEN_FILE": tokenFile, "JOBRUNNER_OWNER": "alice",
                    "NEMO_JOB_SECRETS": "T=ws/s",
                ])
            #expect(fromEnvironment.exitCode == 0, "\(fromEnvironment)")
            #expect(fromEnvironment.output == "\(sha256Hex(value))  -\nT=****\n", "\(fromEnvironment)")
            #expect(!fromEnvironment.errorOutput.contains(token), "\(fromEnvironment)")
        }
    }

    @Test("an unreachable service is named as such and the command does not start")
    func unreachableServiceIsListed() throws {
        try SecretDirectoryGate.shared {
            let runner = try Sandbox()
            let tokenFile = try runner.file("service-token", "jrt_\(randomHex(40))")
            let marker = runner.path("step-ran")
            let port = try closedLocalPort()
            let result = try runner.run(
                [
                    "exec", "--secrets-url", "http://127.0.0.1:\(port)", "--service-token-file", tokenFile, "--owner", "alice",
                    "--env", "A=ws/a", "--env", "B=ws/b", "--", "touch", marker,
                ])
            #expect(result.exitCode == 125, "\(result)")
            #expect(result.errorOutput.contains("ws/a: secrets service unreachable"), "\(result)")
            #expect(result.errorOutput.contains("ws/b: secrets service unreachable"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: marker))
            let audit = try runner.auditRecords()
            #expect(audit.map { $0["outcome"] as? String } == ["unreachable", "unreachable"], "\(audit)")
        }
    }

    /// A loopback port nothing listens on: bound by the kernel's choice, then closed.
    private func closedLocalPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ChildProcessError("socket failed: \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else { throw ChildProcessError("bind failed: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
