import Injector
import Synchronization

/// Sends a step's masked output both to the terminal and, cut into lines, to the job log.
final class JobOutputSink: StepOutputSink {
    private let terminal: any StepOutputSink
    private let log: JobLog
    private let step: String
    private let splitters = Mutex([ChildStream: LogLineSplitter]())

    init(terminal: any StepOutputSink, log: JobLog, step: String) {
        self.terminal = terminal
        self.log = log
        self.step = step
    }

    func write(_ bytes: [UInt8], to stream: ChildStream) {
        terminal.write(bytes, to: stream)
        let lines = splitters.withLock { splitters in splitters[stream, default: LogLineSplitter()].feed(bytes) }
        for line in lines { log.append(step: step, stream: stream.rawValue, message: line) }
    }

    func finish(_ stream: ChildStream) {
        terminal.finish(stream)
        let rest = splitters.withLock { splitters in splitters[stream]?.finish() }
        if let rest { log.append(step: step, stream: stream.rawValue, message: rest) }
    }
}
