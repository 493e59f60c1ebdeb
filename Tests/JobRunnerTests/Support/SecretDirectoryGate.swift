import Foundation

/// Keeps the tests that SIGKILL a runner apart from every other test that starts `jobrunner run` or `exec`.
///
/// Every run and exec first removes the secrets directories that killed runners left in `/dev/shm`, and says so. A
/// test that kills a runner and then checks what is left, and what the next start removes, must be alone; the other
/// job tests hold shared access, so none of them sweeps its leftovers or prints the notice in its place.
enum SecretDirectoryGate {
    /// Runs `body` beside other shared holders, never beside an exclusive one.
    static func shared<T>(_ body: () throws -> T) rethrows -> T {
        lock.lockShared()
        defer { lock.unlockShared() }
        return try body()
    }

    /// Runs `body` alone: no other job test runs meanwhile.
    static func exclusive<T>(_ body: () throws -> T) rethrows -> T {
        lock.lockExclusive()
        defer { lock.unlockExclusive() }
        return try body()
    }

    private static let lock = SharedExclusiveLock()
}

/// A readers-writer lock that lets a waiting writer in before new readers, so the few exclusive tests are not
/// starved by a stream of shared ones. Unlike `pthread_rwlock`, it may be released on another thread.
private final class SharedExclusiveLock: @unchecked Sendable {
    private let condition = NSCondition()
    private var readers = 0
    private var writing = false
    private var writersWaiting = 0

    func lockShared() {
        condition.lock()
        while writing || writersWaiting > 0 { condition.wait() }
        readers += 1
        condition.unlock()
    }

    func unlockShared() {
        condition.lock()
        readers -= 1
        condition.broadcast()
        condition.unlock()
    }

    func lockExclusive() {
        condition.lock()
        writersWaiting += 1
        while writing || readers > 0 { condition.wait() }
        writersWaiting -= 1
        writing = true
        condition.unlock()
    }

    func unlockExclusive() {
        condition.lock()
        writing = false
        condition.broadcast()
        condition.unlock()
    }
}
