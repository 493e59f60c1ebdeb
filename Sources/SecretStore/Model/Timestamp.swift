#if canImport(Glibc)
    import Glibc
#endif

/// A moment in UTC with microsecond precision, stored as an integer and shown as the reference service does:
/// naive ISO-8601 UTC such as `2026-11-28T12:51:37.250196`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSinceEpoch: Int64

    /// The moment `microsecondsSinceEpoch` after the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000)
    }

    /// The reference service's format: `YYYY-MM-DDTHH:MM:SS.ffffff`, UTC without a zone suffix.
    public var description: String {
        withDescriptionUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Lends ``description``'s UTF-8 bytes to `body` without building a String, for replies written straight
    /// into a buffer on the hottest routes.
    public func withDescriptionUTF8<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var seconds = time_t(microsecondsSinceEpoch.floorDivided(by: 1_000_000))
        let micros = Int(microsecondsSinceEpoch - Int64(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Room for the widest year an Int32 field holds, and the fixed rest.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { bytes in
            var end = 0
            func put(_ byte: UInt8) {
                bytes[end] = byte
                end += 1
            }
            func put(_ value: Int, width: Int) {
                if value < 0 {
                    put(UInt8(ascii: "-"))
                    put(-value, width: width - 1)
                    return
                }
                var digits = 1
                var rest = value / 10
                while rest > 0 {
                    digits += 1
                    rest /= 10
                }
                for _ in digits..<max(width, digits) { put(UInt8(ascii: "0")) }
                var remaining = value
                for position in stride(from: end + digits - 1, through: end, by: -1) {
                    bytes[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
                end += digits
            }
            put(Int(parts.tm_year) + 1900, width: 4)
            put(UInt8(ascii: "-"))
            put(Int(parts.tm_mon) + 1, width: 2)
            put(UInt8(ascii: "-"))
            put(Int(parts.tm_mday), width: 2)
            put(UInt8(ascii: "T"))
            put(Int(parts.tm_hour), width: 2)
            put(UInt8(ascii: ":"))
            put(Int(parts.tm_min), width: 2)
            put(UInt8(ascii: ":"))
            put(Int(parts.tm_sec), width: 2)
            put(UInt8(ascii: "."))
            put(micros, width: 6)
            return try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[0..<end])))
        }
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Timestamp(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an ISO-8601 timestamp: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Parses the format ``description`` writes, with an optional trailing `Z`.
    public init?(parsing text: String) {
        var body = Substring(text)
        if body.hasSuffix("Z") { body = body.dropLast() }
        let halves = body.split(separator: ".", maxSplits: 1)
        let fields = halves[0].split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == ":" }).compactMap { Int($0) }
        guard fields.count == 6 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(fields[0] - 1900)
        parts.tm_mon = Int32(fields[1] - 1)
        parts.tm_mday = Int32(fields[2])
        parts.tm_hour = Int32(fields[3])
        parts.tm_min = Int32(fields[4])
        parts.tm_sec = Int32(fields[5])
        let seconds = Int64(timegm(&parts))
        var micros: Int64 = 0
        if halves.count == 2 {
            let digits = String(halves[1].prefix(6))
            guard let fraction = Int64(digits) else { return nil }
            micros = fraction * Int64([1, 100_000, 10_000, 1_000, 100, 10, 1][digits.count])
        }
        self.init(microsecondsSinceEpoch: seconds * 1_000_000 + micros)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
