/// Cuts one stream of a child's (already masked) output into log lines: at each newline, and at a length cap so a
/// progress bar that never prints a newline cannot grow a line without bound.
public struct LogLineSplitter: Sendable {
    /// The longest line kept in one log entry; longer output continues in the next entry.
    public static let maximumLineBytes = 16 * 1024

    private var pending: [UInt8] = []

    /// A splitter with nothing pending.
    public init() {}

    /// Adds output and returns the lines it completed (without `\n`, and without a `\r` before it).
    public mutating func feed(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(Self.text(pending))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count >= Self.maximumLineBytes {
                    lines.append(Self.text(pending))
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        return lines
    }

    /// The unterminated rest, at the end of the stream.
    public mutating func finish() -> String? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : Self.text(pending)
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var slice = bytes[...]
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
