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
    public static func generate(now: Date = Date()) -> JobID {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
        let suffix = String(format: "%06x", UInt32.random(in: 0..<(1 << 24)))
        return JobID(rawValue: "job-\(stamp)-\(suffix)")
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
