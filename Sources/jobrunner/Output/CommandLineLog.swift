import Foundation
import Logging

/// Log lines for a command-line tool: one line on standard error per event, `level: message key=value…`.
///
/// The level threshold comes from `$JOBRUNNER_LOG_LEVEL` (default `info`). Log messages never carry values;
/// this handler adds nothing but the level and metadata.
struct CommandLineLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    init(level: Logger.Level) {
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(event.level.label): \(event.message)"
        line.reserveCapacity(200)
        let merged = metadata.isEmpty ? (event.metadata ?? [:]) : metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            line += " "
            line += key
            line += "="
            line += merged[key]!.description
        }
        line += "\n"
        // One write(2) per line: lines from concurrent requests never interleave, and no Data is built.
        line.withUTF8 { buffer in _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count) }
    }
}

extension Logger.Level {
    /// The word shown before a message: `warning`, `error`, `info`…
    fileprivate var label: String {
        switch self {
        case .warning: return "warning"
        case .critical: return "critical"
        default: return rawValue
        }
    }
}

/// The process-wide logger of the `jobrunner` command.
enum CommandLineLog {
    static let logger: Logger = {
        let level =
            getenv("JOBRUNNER_LOG_LEVEL").flatMap { Logger.Level(rawValue: String(cString: $0)) }
            ?? .info
        return Logger(label: "jobrunner") { _ in CommandLineLogHandler(level: level) }
    }()
}
