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

    /// Starts a job in namespace mode with a secret file, once it says "ready"; its TERM trap prints the file and
    /// exits 3. `namespaceInit` is the program PID 1 becomes (nil: PID 1 stays a copy of the runner).
    private static func startWaitingJob(namespaceInit: String?) async throws -> (RunningChild, TmpfsSecretDirectory) {
        let directory = try TmpfsSecretDirectory.reserve()
        var request = LaunchFixture.request(
            ["sh", "-c", "trap 'echo got TERM; cat \"$FILE\"; echo; exit 3' TERM; echo ready; while :; do sleep 1; done"],
            environment: [("FILE", directory.path + "/token"), ("TOKEN", "environment-secret-value")],
            isolation: .namespace, files: [SecretFile(name: "token", value: SecretValue("file-secret-value"))],
            directory: directory)
        request.namespaceInit = namespaceInit
        let running = try RunningChild(request)
        try await running.stdout.waitUntil(contains: "ready")
        return (running, directory)
    }

    /// Sends SIGTERM to a job of ``startWaitingJob(namespaceInit:)``: it reaches the job, which printed its file and
    /// exited 3, and the files are gone.
    private static func terminateAndCheck(
        _ running: RunningChild, _ directory: TmpfsSecretDirectory, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        running.child.send(SIGTERM)
        let finished = try await running.finish()
        #expect(finished.stdoutLines == ["ready", "got TERM", "file-secret-value"], sourceLocation: sourceLocation)
        #expect(finished.exit == .exited(3), sourceLocation: sourceLocation)
        #expect(!pathExists(directory.path), sourceLocation: sourceLocation)
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
        let (running, directory) = try await Self.startWaitingJob(namespaceInit: path)

        let pidOne = running.child.pid
        #expect(try Self.executable(of: pidOne) == URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        let job = try #require(ProcessTree.children(of: pidOne).first)
        // Inside the namespace the job is process 2 (PID 1 started it first); PID 1 holds no variable at all.
        #expect(Self.nulSeparated(pidOne, "cmdline") == ["jobrunner-init", "2"], "job \(job)")
        #expect(Self.nulSeparated(pidOne, "environ").isEmpty)
        try await Self.terminateAndCheck(running, directory)
    }

    @Test("without jobrunner-init, PID 1 is a copy of the runner and everything works the same")
    func copyOfTheRunner() async throws {
        let (running, directory) = try await Self.startWaitingJob(namespaceInit: nil)
        #expect(try Self.executable(of: running.child.pid) == Self.executable(of: getpid()))
        // Created while the launching thread was pinned to one CPU, the copy gives the runner's CPUs back too.
        try await Eventually.wait("PID 1 to have the runner's CPUs") {
            ProcessTree.allowedCPUs(of: "\(running.child.pid)") == ProcessTree.allowedCPUs(of: "self")
        }
        try await Self.terminateAndCheck(running, directory)
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
