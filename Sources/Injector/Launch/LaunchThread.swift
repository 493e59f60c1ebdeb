import CLauncher
import Foundation

/// The thread that creates a child and then stays to wait for it.
///
/// The namespace's PID 1 (or, in shared-memory mode, the job) sets a parent-death signal, which the kernel ties to
/// the *thread* that created it: starting it from a pooled thread that later exits would kill a running job. So
/// every child gets a thread of its own that lives exactly as long as the child.
enum LaunchThread {
    /// Creates and executes the job on a new thread and returns once `execve` succeeded or the launch failed; on
    /// success the watcher is already waiting for the child.
    static func start(_ spec: NativeLaunchSpec, namespaces: Bool) -> (cl_launch_outcome, ChildWatcher?) {
        let handoff = Handoff()
        let pending = PendingSpec(spec)
        let thread = Thread {
            // The spec holds plaintext: this thread, which lives as long as the child, must not keep it.
            let outcome = pending.take().launch()
            guard Int(outcome.failed_stage) == CL_STAGE_NONE else {
                handoff.deliver(outcome, nil)
                return
            }
            let watcher = ChildWatcher(
                pid: outcome.pid, statusDescriptor: outcome.status_fd, signalsProcessGroup: !namespaces)
            handoff.deliver(outcome, watcher)
            watcher.watchUntilExit()
        }
        thread.name = "jobrunner-child"
        thread.start()
        return handoff.wait()
    }

    /// Hands the spec to the launch thread exactly once, so the thread does not keep it alive afterwards.
    private final class PendingSpec: @unchecked Sendable {
        // Written once before the thread starts, cleared by the thread.
        private var spec: NativeLaunchSpec?

        init(_ spec: NativeLaunchSpec) { self.spec = spec }

        func take() -> NativeLaunchSpec {
            defer { spec = nil }
            return spec!
        }
    }

    /// Carries the launch outcome from the launch thread back to the caller.
    private final class Handoff: @unchecked Sendable {
        // Guarded by `condition`.
        private let condition = NSCondition()
        private var result: (cl_launch_outcome, ChildWatcher?)?

        func deliver(_ outcome: cl_launch_outcome, _ watcher: ChildWatcher?) {
            condition.lock()
            result = (outcome, watcher)
            condition.signal()
            condition.unlock()
        }

        func wait() -> (cl_launch_outcome, ChildWatcher?) {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return result!
        }
    }
}
