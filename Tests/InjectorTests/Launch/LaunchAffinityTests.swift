import Injector
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A namespace launch pins its thread to one CPU while it creates the namespace's processes; neither the job nor
/// PID 1 keeps that pin: both have the CPUs the runner had. (The launching thread's own pin, undone right after the
/// launch, cannot be checked from here: other tests launch on their own threads at the same time.)
struct LaunchAffinityTests {
    @Test("the job and PID 1 keep the runner's CPUs", arguments: LaunchFixture.modes)
    func nobodyStaysPinned(isolation: IsolationPreference) async throws {
        let ours = try #require(ProcessTree.allowedCPUs(of: "self"))
        let running = try RunningChild(
            LaunchFixture.request(
                ["sh", "-c", "grep Cpus_allowed_list /proc/self/status; echo ready; exec sleep 600"], isolation: isolation))
        try await running.stdout.waitUntil(contains: "ready")
        let pidOne = isolation == .namespace ? ProcessTree.allowedCPUs(of: "\(running.child.pid)") : ours
        running.child.send(SIGKILL)
        let finished = try await running.finish()
        #expect(finished.stdoutLines.first == ours, "the job's CPUs")
        #expect(pidOne == ours)
    }
}
