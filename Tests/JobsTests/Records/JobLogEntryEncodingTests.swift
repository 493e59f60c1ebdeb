import Foundation
import Jobs
import Testing

/// The job log's lines are written by hand (``JobLogEntry/jsonLine``); these tests hold them to what
/// `JSONEncoder` writes for the same entry, and to what the log reader parses back.
struct JobLogEntryEncodingTests {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let messages: [String] = {
        var messages = [
            "", "plain text", "quote \" backslash \\ slash / end", "tab\there\r\nnext", "emoji 🤖 and é, ß, 漢字",
            "\u{7F} delete and \u{2028} line separator", "{\"json\": [1, 2]}", String(repeating: "x", count: 5000),
        ]
        messages.append(String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self))
        messages += (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        return messages
    }()

    @Test("every line is byte for byte what JSONEncoder writes, and reads back", arguments: messages)
    func matchesJSONEncoder(_ message: String) throws {
        let entry = JobLogEntry(job: JobID.generate(), step: "step \"1\"", stream: "stdout", message: message)
        var expected = try Self.encoder.encode(entry)
        expected.append(UInt8(ascii: "\n"))
        #expect(entry.jsonLine == Array(expected))
        let parsed = JobLog.entries(in: Data(entry.jsonLine)[...])
        #expect(parsed.entries == [entry])
        #expect(parsed.consumed == entry.jsonLine.count)
    }
}
