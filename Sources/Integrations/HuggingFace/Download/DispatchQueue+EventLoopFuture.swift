import Dispatch
import NIOCore

extension DispatchQueue {
    /// A future on `eventLoop` that completes once this serial queue has run everything queued so far: how a
    /// download's receiver waits for the writer or the hasher without blocking its event loop.
    func whenDone(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        async { promise.succeed() }
        return promise.futureResult
    }
}
