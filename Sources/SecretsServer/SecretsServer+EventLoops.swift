import CExecutorHook
import NIOCore
import NIOPosix

extension SecretsServer {
    /// Makes the event loops that serve connections Swift concurrency's global executor for this whole process,
    /// so a request is read, handled and answered on one thread instead of hopping to a separate thread pool
    /// and back twice; returns false when another executor is installed already.
    ///
    /// Call it once, first thing in a process that serves (a task that blocks would then hold up an event
    /// loop, so blocking work belongs on `NIOThreadPool`, as the secret writes already are).
    ///
    /// This is what `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
    /// does, except that the hook is found by the linker rather than by `dlsym`: the deployment build links the
    /// Swift runtime in statically, without exporting its symbols, and NIO's lookup then fails, leaving every
    /// request to hop threads (about 10 % fewer lookups per second under load, `bench/http-load`).
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        // The runtime calls the hook with its own Swift calling convention and a thin (context-free) function
        // pointer; a closure that captures nothing is one.
        typealias GlobalEnqueueHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void
        let enqueueOnEventLoop: GlobalEnqueueHook = { job, _ in
            // `any()` is the current loop when called on one of the group's loops, so a task that a request's
            // handler starts stays on the thread that reads the connection.
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
        }
        return jobrunner_install_global_enqueue_hook(unsafeBitCast(enqueueOnEventLoop, to: UnsafeRawPointer.self))
    }
}
