import Foundation
import Injector
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The namespace's PID 1 is `jobrunner-init` when it is installed beside the runner, so nothing of the runner's
/// memory is copied to start a job; without it PID 1 is a copy of the runner. Both keep the namespace's guarantees.
struct NamespaceInitTests {
    /// `/proc/PID/FILE` split at NUL bytes (cmdline, environ).
    private static func nulSeparated(_ pid: Int32, _ file: String) -> [String] {
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/\(file)"))) ?? Data()
        return bytes.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The program a process runs (`/proc/PID/exe`), symbolic links resolved.
    private static func executable(of pid: Int32) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }

    /// A job that says "ready", then waits; its TERM trap reports the file it was given and exits 3.
    private static func waitingJob(isolation: IsolationPreference, namespaceInit: String?) -> LaunchRequest {
        var request = LaunchFixture.request(
            ["sh", "-c", "trap 'echo got TERM; cat \"$FILE\"; echo; exit 3' TERM; echo ready; while :; do sleep 1; done"],
            environment: [("FILE", ""), ("TOKEN", "environment-secret-value")], isolation: isolation,
            files: [SecretFile(name: "token", value: SecretValue("file-secret-value"))])
        request.namespaceInit = namespaceInit
        return request
    }

    @Test("the test build has jobrunner-init beside it, so namespace launches use it by default")
    func installedBesideTheTests() throws {
        let path = try #require(NamespaceInitProgram.installedPath, "swift build --build-tests builds jobrunner-init")
        #expect(path.hasSuffix("/jobrunner-init"))
        #expect(LaunchFixture.request(["true"], isolation: .namespace).namespaceInit == path)
    }

    @Test("PID 1 is jobrunner-init with the job's pid and no environment; signals, files and the status pass through it")
    func pidOneIsTheSmallProgram() async throws {
        let path = try #require(NamespaceInitProgram.installedPath)
        var request = Self.waitingJob(isolation: .namespace, namespaceInit: path)
        let directory = try TmpfsSecretDirectory.reserve()
        request.secretsDirectory = directory
        request.environment[1] = ("FILE", directory.path + "/token")
        let running = try RunningChild(request)
        try await running.stdout.waitUntil(contains: "ready")

        let pidOne = running.child.pid
        #expect(try Self.executable(of: pidOne) == URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        let job = try #require(ProcessTree.children(of: pidOne).first)
        // Inside the namespace the job is process 2 (PID 1 started it first); PID 1 holds no variable at all.
        #expect(Self.nulSeparated(pidOne, "cmdline") == ["jobrunner-init", "2"], "job \(job)")
        #expect(Self.nulSeparated(pidOne, "environ").isEmpty)

        running.child.send(SIGTERM)
        let finished = try await running.finish()
        #expect(finished.stdoutLines == ["ready", "got TERM", "file-secret-value"])
        #expect(finished.exit == .exited(3))
        #expect(!pathExists(directory.path))
    }

    @Test("without jobrunner-init, PID 1 is a copy of the runner and everything works the same")
    func copyOfTheRunner() async throws {
        var request = Self.waitingJob(isolation: .namespace, namespaceInit: nil)
        let directory = try TmpfsSecretDirectory.reserve()
        request.secretsDirectory = directory
        request.environment[1] = ("FILE", directory.path + "/token")
        let running = try RunningChild(request)
        try await running.stdout.waitUntil(contains: "ready")
        #expect(try Self.executable(of: running.child.pid) == Self.executable(of: getpid()))

        running.child.send(SIGTERM)
        let finished = try await running.finish()
        #expect(finished.stdoutLines == ["ready", "got TERM", "file-secret-value"])
        #expect(finished.exit == .exited(3))
        #expect(!pathExists(directory.path))
    }

    @Test("a jobrunner-init that cannot be executed fails the launch, ends the job it started and removes the files")
    func unusableInitFailsTheLaunch() async throws {
        let marker = "init-test-\(UInt64.random(in: 0...UInt64.max))"
        let directory = try TmpfsSecretDirectory.reserve()
        var request = LaunchFixture.request(
            ["sh", "-c", "sleep 600; : \(marker)"], isolation: .namespace,
            files: [SecretFile(name: "a", value: SecretValue("x-value"))], directory: directory)
        request.namespaceInit = "/nonexistent/jobrunner-init"
        #expect(throws: LaunchError.system(call: "execve (jobrunner-init)", errno: ENOENT)) {
            try ChildLauncher.launch(request)
        }
        #expect(!pathExists(directory.path))
        try await Eventually.wait("no process of the job to be left") {
            let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
            return !pids.contains { Self.nulSeparated($0, "cmdline").joined(separator: " ").contains(marker) && ProcessTree.isRunning($0) }
        }
    }
}
