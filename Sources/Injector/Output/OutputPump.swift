import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Copies one of a child's output streams, on a thread of its own, through a masker into a sink, as soon as the
/// bytes arrive (nothing waits for a full line or buffer).
///
/// The pump ends at end of file (EIO on a pseudo-terminal master once the child has gone), or when told to stop
/// because the child exited but something it left behind still holds the stream open.
final class OutputPump: Sendable {
    private let descriptor: Int32
    private let stream: ChildStream
    private let sink: any StepOutputSink
    private let stopRequested = Atomic<Bool>(false)
    private let finished = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    // The masker is used by the pump thread alone.
    nonisolated(unsafe) private let masker: OutputMasker?

    /// A pump reading `descriptor` (which it closes when done), masking with `masker` when given.
    init(descriptor: Int32, stream: ChildStream, masker: OutputMasker?, sink: any StepOutputSink) {
        self.descriptor = descriptor
        self.stream = stream
        self.masker = masker
        self.sink = sink
    }

    /// Starts copying on a new thread.
    func start() {
        let thread = Thread { [self] in
            copyUntilEnd()
        }
        thread.name = "jobrunner-\(stream.rawValue)"
        thread.start()
    }

    /// Asks the pump to stop at its next idle moment, flushing what the masker still holds.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }

    /// Returns once the pump has copied everything and finished the sink's stream.
    func waitUntilFinished() async {
        await withCheckedContinuation { continuation in
            let resumeNow = finished.withLock { state -> Bool in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func copyUntilEnd() {
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer {
            memset(buffer.baseAddress!, 0, capacity)
            buffer.deallocate()
        }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            poller.revents = 0
            let ready = poll(&poller, 1, 100)
            if ready == 0 {
                if stopRequested.load(ordering: .relaxed) { break }
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            let count = read(descriptor, buffer.baseAddress!, capacity)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { break }  // EOF, or EIO from a pseudo-terminal whose child has gone.
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            let output = masker.map { $0.mask(chunk) } ?? Array(chunk)
            if !output.isEmpty { sink.write(output, to: stream) }
        }
        if let rest = masker?.finish(), !rest.isEmpty { sink.write(rest, to: stream) }
        sink.finish(stream)
        close(descriptor)
        let waiters = finished.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.done = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
