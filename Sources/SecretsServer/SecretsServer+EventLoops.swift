import NIOCore
import NIOPosix

extension SecretsServer {
    /// Makes the event loops that serve connections Swift concurrency's global executor for this whole process,
    /// so a request is read, handled and answered on one thread instead of hopping to a separate thread pool
    /// and back twice; returns false when another executor is installed already.
    ///
    /// Call it once, first thing in a process that serves (a task that blocks would then hold up an event
    /// loop, so blocking work belongs on `NIOThreadPool`, as the secret writes already are).
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
