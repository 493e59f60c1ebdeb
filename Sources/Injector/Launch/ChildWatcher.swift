import CLauncher
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Waits for a launched child on the thread that forked it, reaps it, and tells every waiter how the job ended.
///
/// The child is reaped only while holding the lock that ``send(_:)`` takes, after it is known to have exited, so a
/// signal can never reach an unrelated process that reused the pid.
final class ChildWatcher: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var reaped = false
    private var exit: ChildExit?
    private var waiters: [CheckedContinuation<ChildExit, Never>] = []

    private let pid: Int32
    private let statusDescriptor: Int32
    private let signalsProcessGroup: Bool

    /// Watches `pid`. In namespace mode `pid` is the namespace's PID 1, `statusDescriptor` carries the job's status,
    /// and signals go to PID 1, which forwards them; otherwise signals go straight to the job's process group.
    init(pid: Int32, statusDescriptor: Int32, signalsProcessGroup: Bool) {
        self.pid = pid
        self.statusDescriptor = statusDescriptor
        self.signalsProcessGroup = signalsProcessGroup
    }

    /// Blocks until the child has ended, then publishes its exit; runs on the launch thread.
    func watchUntilExit() {
        let reported = readReportedStatus()
        _ = cl_wait_until_exited(pid)
        var rawStatus: Int32 = 0
        condition.lock()
        reaped = true
        _ = cl_reap(pid, &rawStatus)
        condition.unlock()

        // In namespace mode PID 1 reports the job's own status; without a report PID 1 itself was killed (and the
        // job with it), so its status is the answer.
        let ended = ChildExit(waitStatus: reported ?? rawStatus)

        condition.lock()
        exit = ended
        let resumed = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for waiter in resumed { waiter.resume(returning: ended) }
    }

    /// Delivers `signal` unless the child has already been reaped.
    func send(_ signal: Int32) {
        condition.lock()
        defer { condition.unlock() }
        guard !reaped else { return }
        if signalsProcessGroup {
            if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
        } else {
            _ = kill(pid, signal)
        }
    }

    /// How the child ended, once it has.
    var exitIfEnded: ChildExit? {
        condition.lock()
        defer { condition.unlock() }
        return exit
    }

    /// Blocks the calling thread until the child has ended.
    func waitForExit() -> ChildExit {
        condition.lock()
        defer { condition.unlock() }
        while exit == nil { condition.wait() }
        return exit!
    }

    /// Suspends until the child has ended, without blocking a thread.
    func waitForExit() async -> ChildExit {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let exit {
                condition.unlock()
                continuation.resume(returning: exit)
            } else {
                waiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// Reads the job's raw wait status from the namespace's PID 1; nil at end of file without one (PID 1 was killed,
    /// or this is not namespace mode).
    private func readReportedStatus() -> Int32? {
        guard statusDescriptor >= 0 else { return nil }
        defer { close(statusDescriptor) }
        var status: Int32 = 0
        var received = 0
        while received < MemoryLayout<Int32>.size {
            let count = withUnsafeMutableBytes(of: &status) { raw in
                read(statusDescriptor, raw.baseAddress! + received, raw.count - received)
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return nil }
            received += count
        }
        return status
    }
}
