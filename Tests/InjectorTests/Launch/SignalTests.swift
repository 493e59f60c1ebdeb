import Foundation
import Injector
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Signals reach the job's process group in both modes, and a SIGKILLed namespace PID 1 takes the job and the tmpfs
/// with it.
struct SignalTests {
    @Test("send(SIGTERM) reaches the job, whose handler decides how it ends", arguments: LaunchFixture.modes)
    func signalReachesTheJob(isolation: IsolationPreference) async throws {
        let script = "trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 1; done"
        let running = try RunningChild(LaunchFixture.request(["sh", "-c", script], isolation: isolation))
        try await running.stdout.waitUntil(contains: "ready")
        running.child.send(SIGTERM)
        let finished = try await running.finish()
        #expect(finished.stdoutLines == ["ready", "got TERM"])
        #expect(finished.exit == .exited(3))
    }

    @Test("a Python job's signal handler gets SIGINT", arguments: LaunchFixture.modes)
    func pythonHandlerGetsSigint(isolation: IsolationPreference) async throws {
        let program = """
            import signal, sys, time
            def stop(number, frame):
                print("caught", number, flush=True)
                sys.exit(3)
            signal.signal(signal.SIGINT, stop)
            print("ready", flush=True)
            while True:
                time.sleep(1)
            """
        let running = try RunningChild(LaunchFixture.request(["/usr/bin/python3", "-c", program], isolation: isolation))
        try await running.stdout.waitUntil(contains: "ready")
        running.child.send(SIGINT)
        let finished = try await running.finish()
        #expect(finished.stdoutLines == ["ready", "caught \(SIGINT)"])
        #expect(finished.exit == .exited(3))
    }

    @Test("signals the runner ignores are not ignored by the job", arguments: LaunchFixture.modes)
    func ignoredSignalsAreReset(isolation: IsolationPreference) async throws {
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        let finished = try await RunningChild.run(LaunchFixture.request(["sh", "-c", "kill -INT $$; sleep 5"], isolation: isolation))
        #expect(finished.exit == .signaled(SIGINT))
    }

    @Test("SIGKILL of the namespace's PID 1 (what a dying runner's parent-death signal does) kills the job and its tmpfs")
    func killedNamespaceInitTakesEverything() async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        let running = try RunningChild(
            LaunchFixture.request(
                ["sleep", "600"], isolation: .namespace, files: [SecretFile(name: "token", value: SecretValue("gone-with-it"))],
                directory: directory))
        let namespaceInit = running.child.pid
        let job = try #require(ProcessTree.children(of: namespaceInit).first)
        // execve closes the error pipe (so launch returns) a moment before the kernel renames the process.
        try await Eventually.wait("the job to show up as sleep") { ProcessTree.commandName(of: job) == "sleep" }
        #expect(ProcessTree.processesMounting(directory.path).sorted() == [namespaceInit, job].sorted())

        kill(namespaceInit, SIGKILL)
        let finished = try await running.finish()
        #expect(finished.exit == .signaled(SIGKILL))
        try await Eventually.wait("the job and PID 1 to die") {
            !ProcessTree.isRunning(job) && !ProcessTree.isRunning(namespaceInit)
        }
        try await Eventually.wait("no process to have the tmpfs mounted") {
            ProcessTree.processesMounting(directory.path).isEmpty
        }
        #expect(!pathExists(directory.path))
    }

    @Test("when the job ends, what it left running in the namespace is killed too")
    func stragglersDieWithTheJob() async throws {
        let running = try RunningChild(
            LaunchFixture.request(["sh", "-c", "sleep 600 & echo $!; exit 0"], isolation: .namespace))
        let finished = try await running.finish()
        #expect(finished.exit == .exited(0))
        // The background sleep held the job's stdout open; end of file means it is gone.
        #expect(finished.stdoutLines.count == 1)
    }
}
