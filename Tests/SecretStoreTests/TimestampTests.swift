import Foundation
import Testing

@testable import SecretStore

/// Timestamps print as the reference service does (`YYYY-MM-DDTHH:MM:SS.ffffff`, UTC, no zone) and parse back.
struct TimestampTests {
    @Test func knownMomentsPrintAsTheReferenceDoes() {
        #expect(Timestamp(microsecondsSinceEpoch: 0).description == "1970-01-01T00:00:00.000000")
        #expect(Timestamp(microsecondsSinceEpoch: 1).description == "1970-01-01T00:00:00.000001")
        #expect(Timestamp(microsecondsSinceEpoch: 1_700_000_000_123_456).description == "2023-11-14T22:13:20.123456")
        #expect(Timestamp(microsecondsSinceEpoch: 951_782_400_000_000).description == "2000-02-29T00:00:00.000000")
        #expect(Timestamp(microsecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999999")
        #expect(Timestamp(microsecondsSinceEpoch: 253_402_300_799_999_999).description == "9999-12-31T23:59:59.999999")
    }

    @Test func randomMomentsMatchFoundationsCalendarAndParseBack() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for _ in 0..<500 {
            let micros = Int64.random(in: 0..<4_102_444_800_000_000)  // up to 2100
            let timestamp = Timestamp(microsecondsSinceEpoch: micros)
            let date = Date(timeIntervalSince1970: TimeInterval(micros / 1_000_000))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
                parts.second!, Int(micros % 1_000_000))
            #expect(timestamp.description == expected)
            #expect(Timestamp(parsing: timestamp.description) == timestamp)
            #expect(timestamp.withDescriptionUTF8 { Array($0) } == Array(expected.utf8))
        }
    }
}
