import NIOCore

/// Holds a connection's close until the reply already written has reached the socket.
///
/// On graceful shutdown, Hummingbird 2.28 closes a connection as soon as the last part of the reply is handed to
/// the pipeline; NIO then fails writes not yet taken by the kernel, so a large reply to a slow reader was cut
/// short. This handler sits between Hummingbird's connection-state handler and the socket and defers that
/// close until the last pending write has completed, or until ``patience`` has passed (so a client that stops
/// reading cannot stall shutdown forever).
final class DrainBeforeCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    /// The longest a close waits for pending writes.
    static let patience = TimeAmount.seconds(30)

    /// The most recent write: writes complete in order, so once it has, every earlier one has too.
    private var lastWrite: EventLoopFuture<Void>?
    private var deferredClose: (mode: CloseMode, promise: EventLoopPromise<Void>?)?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let written = promise ?? context.eventLoop.makePromise()
        lastWrite = written.futureResult
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, let lastWrite, deferredClose == nil else {
            context.close(mode: mode, promise: promise)
            return
        }
        deferredClose = (mode, promise)
        context.flush()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        // Runs at once when the last write has already completed.
        lastWrite.whenComplete { _ in
            let (handler, context) = loopBound.value
            handler.performDeferredClose(context: context)
        }
        context.eventLoop.scheduleTask(in: Self.patience) {
            let (handler, context) = loopBound.value
            handler.performDeferredClose(context: context)
        }
    }

    private func performDeferredClose(context: ChannelHandlerContext) {
        guard let (mode, promise) = deferredClose else { return }
        deferredClose = nil
        context.close(mode: mode, promise: promise)
    }
}
