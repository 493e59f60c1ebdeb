import Foundation
import Injector
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What every job sees, in both isolation modes: exactly the environment, arguments and working directory it was
/// given, its own exit status, and no descriptor of the runner beyond its three standard streams.
struct LaunchBasicsTests {
    @Test("the child's environment is exactly the one given", arguments: LaunchFixture.modes)
    func exactEnvironment(isolation: IsolationPreference) async throws {
        let environment = [("ALPHA", "1"), ("WITH_SPACES", "a b  c"), ("EMPTY", ""), ("MULTI", "line one\nline two")]
        let finished = try await RunningChild.run(
            LaunchFixture.request(["/usr/bin/env", "-0"], environment: environment, isolation: isolation))
        let seen = finished.stdout.split(separator: "\0").map(String.init)
        let given = ([("PATH", LaunchFixture.searchPath)] + environment).map { "\($0.0)=\($0.1)" }
        #expect(seen == given)
        #expect(finished.exit == .exited(0))
    }

    @Test("secret variables follow the plain ones and reach the child byte for byte", arguments: LaunchFixture.modes)
    func secretEnvironment(isolation: IsolationPreference) async throws {
        var request = LaunchFixture.request(["/usr/bin/env", "-0"], environment: [("PLAIN", "p")], isolation: isolation)
        request.secretEnvironment = [("TOKEN", SecretValue("tok=en\nwith newline é"))]
        let finished = try await RunningChild.run(request)
        #expect(finished.stdout.split(separator: "\0") == ["PATH=\(LaunchFixture.searchPath)", "PLAIN=p", "TOKEN=tok=en\nwith newline é"])
    }

    @Test("arguments reach the child as given, with no shell in between", arguments: LaunchFixture.modes)
    func argumentsAsGiven(isolation: IsolationPreference) async throws {
        let arguments = ["a b", "c\"d", "it's", "$HOME", "*", "", "back\\slash", "new\nline"]
        let finished = try await RunningChild.run(
            LaunchFixture.request(["printf", "[%s]\\n"] + arguments, isolation: isolation))
        #expect(finished.stdout == arguments.map { "[\($0)]\n" }.joined())
    }

    @Test("the child starts in the working directory it was given", arguments: LaunchFixture.modes)
    func workingDirectory(isolation: IsolationPreference) async throws {
        let scratch = ScratchDirectory()
        let finished = try await RunningChild.run(
            LaunchFixture.request(["/bin/pwd", "-P"], isolation: isolation, workingDirectory: scratch.path))
        #expect(finished.stdoutLines == [scratch.path])
    }

    @Test("exit codes come back as they are", arguments: LaunchFixture.modes, [0, 1, 42])
    func exitCodes(isolation: IsolationPreference, code: Int32) async throws {
        let child = try RunningChild(LaunchFixture.request(["sh", "-c", "exit \(code)"], isolation: isolation))
        #expect(child.child.isolation == LaunchFixture.expectedIsolation(isolation))
        let finished = try await child.finish()
        #expect(finished.exit == .exited(code))
        #expect(finished.exit.shellStatus == code)
    }

    @Test("a child killed by SIGTERM is reported as signal 15, status 143", arguments: LaunchFixture.modes)
    func deathBySignal(isolation: IsolationPreference) async throws {
        let finished = try await RunningChild.run(LaunchFixture.request(["sh", "-c", "kill -TERM $$"], isolation: isolation))
        #expect(finished.exit == .signaled(SIGTERM))
        #expect(finished.exit.shellStatus == 143)
        #expect(finished.exit.description == "signal 15 (SIGTERM)")
    }

    @Test("descriptors the runner opened without close-on-exec do not reach the child", arguments: LaunchFixture.modes)
    func noInheritedDescriptors(isolation: IsolationPreference) async throws {
        let leaked = open("/etc/hostname", O_RDONLY)  // deliberately without O_CLOEXEC
        try #require(leaked >= 0)
        defer { close(leaked) }
        let finished = try await RunningChild.run(LaunchFixture.request(["ls", "/proc/self/fd"], isolation: isolation))
        // 0-2 are the standard streams and 3 is the directory ls itself is listing.
        #expect(finished.stdoutLines == ["0", "1", "2", "3"])
    }

    @Test("standard input is the runner's", arguments: LaunchFixture.modes)
    func standardInputPassesThrough(isolation: IsolationPreference) async throws {
        let finished = try await RunningChild.run(
            LaunchFixture.request(["sh", "-c", "readlink /proc/self/fd/0"], isolation: isolation))
        let runnerInput = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/0")
        #expect(finished.stdoutLines == [runnerInput])
    }
}
