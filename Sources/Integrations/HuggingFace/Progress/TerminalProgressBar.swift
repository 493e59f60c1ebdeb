import Synchronization

/// A one-line progress bar for a terminal: percentage, bar, bytes done and total, rate and files, redrawn in place
/// with `\r` at most ten times a second, and ended with a newline when the transfer finishes.
public final class TerminalProgressBar: HubTransferProgress {
    private let output: DescriptorOutput
    private let width: Int
    private let state = Mutex(State())

    private struct State {
        var tally = ProgressTally()
        var lastDraw: ContinuousClock.Instant?
        var lastLength = 0
        var finished = false
    }

    /// A bar written to `fileDescriptor` (2, standard error, by default), `width` characters of bar.
    public init(fileDescriptor: Int32 = 2, width: Int = 30) {
        output = DescriptorOutput(fileDescriptor: fileDescriptor)
        self.width = max(10, width)
    }

    public func transferStarted(_ plan: HubTransferPlan) {
        let line = state.withLock { state in
            state.tally.plan = plan
            state.tally.startedAt = .now
            return render(&state, force: true)
        }
        if let line { output.write(line) }
    }

    public func bytesTransferred(_ count: Int64) {
        let line = state.withLock { state in
            state.tally.bytesDone += count
            return render(&state, force: false)
        }
        if let line { output.write(line) }
    }

    public func fileCompleted(path: String, size: Int64) {
        let line = state.withLock { state in
            state.tally.filesDone += 1
            return render(&state, force: state.tally.filesDone == state.tally.plan.fileCount)
        }
        if let line { output.write(line) }
    }

    public func transferFinished() {
        let line = state.withLock { state -> String? in
            guard !state.finished else { return nil }
            state.finished = true
            return (render(&state, force: true) ?? "") + "\n"
        }
        if let line { output.write(line) }
    }

    /// The line to draw, or nil when the last draw was less than 0.1 s ago.
    private func render(_ state: inout State, force: Bool) -> String? {
        let now = ContinuousClock.now
        if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return nil }
        state.lastDraw = now
        let tally = state.tally
        let fraction = tally.plan.byteCount > 0 ? min(1, max(0, Double(tally.bytesDone) / Double(tally.plan.byteCount))) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let percent = Int((fraction * 100).rounded(.down))
        var line = "\(percent < 10 ? "  " : percent < 100 ? " " : "")\(percent)% [\(bar)] \(tally.summary(at: now))"
        let length = line.count
        if length < state.lastLength { line += String(repeating: " ", count: state.lastLength - length) }
        state.lastLength = length
        return "\r" + line
    }
}
