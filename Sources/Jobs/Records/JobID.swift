import Foundation

/// A run's unique id, `job-YYYYMMDD-HHMMSS-xxxxxx`: sortable by start time, safe in file names, log lines and as a
/// W&B run id (lower-case letters, digits and dashes only).
public struct JobID: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The id's text.
    public let rawValue: String

    /// Wraps an id read back from records or typed by a user.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new id for a run starting now: UTC time plus 24 random bits.
    ///
    /// Formatted with `gmtime_r` rather than a `Calendar`: a Gregorian calendar loads ICU's time zone data, which
    /// cost more than a millisecond of every `jobrunner exec`.
    public static func generate(now: Date = Date()) -> JobID {
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let date = digits(parts.tm_year + 1900, 4) + digits(parts.tm_mon + 1, 2) + digits(parts.tm_mday, 2)
        let time = digits(parts.tm_hour, 2) + digits(parts.tm_min, 2) + digits(parts.tm_sec, 2)
        let random = String(UInt32.random(in: 0..<(1 << 24)), radix: 16)
        let suffix = String(repeating: "0", count: 6 - random.count) + random
        return JobID(rawValue: "job-\(date)-\(time)-\(suffix)")
    }

    /// The id's text.
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
