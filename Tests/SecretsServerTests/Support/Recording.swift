import Foundation
import Logging

/// Every log line a server (and its store) wrote, message and metadata, so tests can scan them for values.
final class LogRecorder: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        let line = "\(event.level): \(event.message) \(fields) [\(event.source) \(event.file):\(event.line)]"
        lock.withLock { recorded.append(line) }
    }

    /// The lines so far.
    var lines: [String] { lock.withLock { recorded } }

    /// A logger that writes here.
    var logger: Logger {
        let handler = self
        return Logger(label: "secrets-server-tests") { _ in handler }
    }
}

/// One request and what came back, as the leak scan sees it.
struct Exchange: Sendable {
    /// The request, for failure messages.
    let request: RawRequest
    /// The request path (without query), to tell `/access` replies from the others.
    let path: String
    /// How it ended.
    let outcome: ExchangeOutcome
}

/// Every exchange a test made with one server.
final class Transcript: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Exchange] = []

    func append(_ exchange: Exchange) { lock.withLock { recorded.append(exchange) } }

    var exchanges: [Exchange] { lock.withLock { recorded } }
}

/// A value shared between tasks and threads behind a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
