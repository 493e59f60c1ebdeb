import Foundation
import Hummingbird
import Testing

@testable import SecretStore
@testable import SecretsServer

/// The hand-written replies of the hottest routes are byte for byte what JSONEncoder (sorted keys) writes.
struct JSONResponseTests {
    static let awkward: [String] = [
        "plain", "", String((0..<128).compactMap { Unicode.Scalar($0) }.map(Character.init)),
        "ключ\n🔑\t\"q\"\\/", "\u{FEFF}bom", "\u{2028}\u{2029}\u{7F}", "a/b",
    ]

    func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: awkward)
    func quotingMatchesTheEncoder(_ text: String) throws {
        #expect(JSONResponse.quoted(text) == (try encoded(text)))
    }

    @Test func metadataAndAccessRepliesMatchTheEncoder() throws {
        struct Access: Encodable { let name, value, workspace: String }
        for text in Self.awkward {
            let metadata = SecretMetadata(
                name: "n", workspace: "w", description: text, createdAt: Timestamp(microsecondsSinceEpoch: 1),
                updatedAt: Timestamp(microsecondsSinceEpoch: 1_700_000_000_123_456))
            let expectedMetadata = try encoded(metadata)
            let writtenMetadata =
                #"{"created_at":"# + JSONResponse.quoted(metadata.createdAt.description) + #","description":"#
                + JSONResponse.quoted(text) + #","name":"n","updated_at":"# + JSONResponse.quoted(metadata.updatedAt.description)
                + #","workspace":"w"}"#
            #expect(writtenMetadata == expectedMetadata)
            #expect(
                try encoded(Access(name: "n", value: text, workspace: "w")) == #"{"name":"n","value":"# + JSONResponse.quoted(text)
                    + #","workspace":"w"}"#)
        }
        let noDescription = SecretMetadata(
            name: "n", workspace: "w", description: nil, createdAt: Timestamp(microsecondsSinceEpoch: 1),
            updatedAt: Timestamp(microsecondsSinceEpoch: 1))
        #expect(try encoded(noDescription).contains(#""description":null"#))
    }
}
