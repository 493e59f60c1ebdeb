import Synchronization

/// Progress as plain lines for logs (no `\r`, no redraws): one line when the transfer starts, one per completed
/// file, one every `interval` with the totals, and one at the end.
public final class ProgressLogLines: HubTransferProgress {
    private let writeLine: @Sendable (String) -> Void
    private let interval: Duration
    private let state = Mutex(State())

    private struct State {
        var tally = ProgressTally()
        var lastLine = ContinuousClock.now
        var finished = false
    }

    /// Lines handed to `writeLine` (a logger, a job log), totals every `interval`.
    public init(interval: Duration = .seconds(5), writeLine: @escaping @Sendable (String) -> Void) {
        self.interval = interval
        self.writeLine = writeLine
    }

    /// Lines written to `fileDescriptor` (standard error by default), each ended with a newline.
    public convenience init(fileDescriptor: Int32 = 2, interval: Duration = .seconds(5)) {
        let output = DescriptorOutput(fileDescriptor: fileDescriptor)
        self.init(interval: interval) { output.write($0 + "\n") }
    }

    public func transferStarted(_ plan: HubTransferPlan) {
        state.withLock { state in
            state.tally.plan = plan
            state.tally.startedAt = .now
            state.lastLine = .now
        }
        let verb = plan.direction == .download ? "downloading" : "uploading"
        let skipped = plan.skippedFileCount > 0 ? " (\(plan.skippedFileCount) already \(plan.direction == .download ? "cached" : "on the Hub"))" : ""
        writeLine("\(verb) \(plan.fileCount) files, \(ProgressTally.bytes(plan.byteCount))\(skipped)")
    }

    public func bytesTransferred(_ count: Int64) {
        let line = state.withLock { state -> String? in
            state.tally.bytesDone += count
            let now = ContinuousClock.now
            guard now - state.lastLine >= interval else { return nil }
            state.lastLine = now
            return "progress: \(state.tally.summary(at: now))"
        }
        if let line { writeLine(line) }
    }

    public func fileCompleted(path: String, size: Int64) {
        let done = state.withLock { state in
            state.tally.filesDone += 1
            return (state.tally.filesDone, state.tally.plan.fileCount)
        }
        writeLine("done \(path) (\(ProgressTally.bytes(size))) [\(done.0)/\(done.1)]")
    }

    public func transferFinished() {
        let line = state.withLock { state -> String? in
            guard !state.finished else { return nil }
            state.finished = true
            return "finished: \(state.tally.summary(at: .now))"
        }
        if let line { writeLine(line) }
    }
}
