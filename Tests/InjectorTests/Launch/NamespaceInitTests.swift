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
        // Created while the launching thread was pinned to one CPU, the copy gives the runner's CPUs back too.
        let cpus = { (pid: String) in
            ((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "").split(separator: "\n")
                .first { $0.hasPrefix("Cpus_allowed_list:") }.map(String.init)
        }
        try await Eventually.wait("PID 1 to have the runner's CPUs") { cpus("\(running.child.pid)") == cpus("self") }

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

/// A namespace launch pins its thread to one CPU while it creates the namespace's processes; neither the job nor
/// PID 1 keeps that pin: both have the CPUs the runner had. (The launching thread's own pin, undone right after the
/// launch, cannot be checked from here: other tests launch on their own threads at the same time.)
struct LaunchAffinityTests {
    /// The `Cpus_allowed_list` line of `/proc/PATH/status`.
    private static func allowedCPUs(_ path: String) -> String? {
        let status = (try? String(contentsOfFile: "/proc/\(path)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }.map(String.init)
    }

    @Test("the job and PID 1 keep the runner's CPUs", arguments: LaunchFixture.modes)
    func nobodyStaysPinned(isolation: IsolationPreference) async throws {
        let ours = try #require(Self.allowedCPUs("self"))
        let running = try RunningChild(
            LaunchFixture.request(
                ["sh", "-c", "grep Cpus_allowed_list /proc/self/status; echo ready; exec sleep 600"], isolation: isolation))
        try await running.stdout.waitUntil(contains: "ready")
        let pidOne = isolation == .namespace ? Self.allowedCPUs("\(running.child.pid)") : ours
        running.child.send(SIGKILL)
        let finished = try await running.finish()
        #expect(finished.stdoutLines.first == ours, "the job's CPUs")
        #expect(pidOne == ours)
    }
}
