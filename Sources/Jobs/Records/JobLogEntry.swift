import SecretStore

/// One line of a job's log as stored in `DATA_DIR/logs/JOB.jsonl`: already masked, never a secret value.
public struct JobLogEntry: Sendable, Codable, Equatable {
    /// When the line was written, ISO-8601 UTC with a `Z`.
    public var timestamp: String
    /// The run.
    public var job: String
    /// The step that wrote it.
    public var step: String
    /// `stdout` or `stderr` of the child, or `runner` for the runner's own notes.
    public var stream: String
    /// The line, without its newline.
    public var message: String

    /// An entry stamped now.
    public init(job: JobID, step: String, stream: String, message: String, time: Timestamp = .now()) {
        self.timestamp = "\(time)Z"
        self.job = job.rawValue
        self.step = step
        self.stream = stream
        self.message = message
    }

    /// The entry as one JSON object with sorted keys and a newline, byte for byte what `JSONEncoder` with
    /// `.sortedKeys` and `.withoutEscapingSlashes` writes (a test holds it to that).
    ///
    /// Written by hand because the log takes a line per runner note and per line of child output, and
    /// `JSONEncoder`'s first use costs `jobrunner exec` most of a millisecond of runtime type lookups.
    public var jsonLine: [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(64 + job.utf8.count + step.utf8.count + stream.utf8.count + message.utf8.count)
        for (index, (key, value)) in [("job", job), ("message", message), ("step", step), ("stream", stream),
            ("timestamp", timestamp)].enumerated()
        {
            line.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            Self.appendQuoted(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendQuoted(value, to: &line)
        }
        line.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        return line
    }

    /// `text` as a JSON string: quote, backslash and control characters escaped, everything else as UTF-8.
    private static func appendQuoted(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                line.append(contentsOf: Array("\\u00".utf8))
                let low = byte & 0xF
                line.append(UInt8(ascii: "0") + (byte >> 4))  // 0 or 1: control characters are below 0x20
                line.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + (low - 10))
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }
}
