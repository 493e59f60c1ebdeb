import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Catches SIGINT, SIGTERM and SIGHUP for the whole runner and hands each to the running child, so that the child
/// decides how to stop and the runner stays alive to clean up and report the child's status.
///
/// When no child runs (between steps, while resolving), the signal is remembered so the job stops before starting
/// anything else.
public final class SignalRelay: Sendable {
    /// The signals the runner forwards.
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The one relay of this process, installed on first use.
    public static let shared = SignalRelay()

    private struct State {
        var target: (@Sendable (Int32) -> Void)?
        var received: Int32?
    }

    private let state = Mutex(State())
    /// Kept alive for the life of the process; never mutated after init.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    private init() {
        let queue = DispatchQueue(label: "jobrunner.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in Self.forwardedSignals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (number, source) in zip(Self.forwardedSignals, sources) {
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
        }
    }

    /// The first signal received since the relay was installed, if any.
    public var receivedSignal: Int32? { state.withLock { $0.received } }

    /// Sends every signal received from now on to `target` (e.g. the running child's process group); a signal that
    /// arrived while nothing was registered is delivered at once.
    public func forward(to target: @escaping @Sendable (Int32) -> Void) {
        let pending = state.withLock { state -> Int32? in
            state.target = target
            return state.received
        }
        if let pending { target(pending) }
    }

    /// Stops forwarding (the child has exited).
    public func stopForwarding() {
        state.withLock { $0.target = nil }
    }

    private func deliver(_ number: Int32) {
        let target = state.withLock { state -> (@Sendable (Int32) -> Void)? in
            if state.received == nil { state.received = number }
            return state.target
        }
        target?(number)
    }
}
