import Foundation
import Hummingbird
import NIOCore
import Testing

@testable import SecretStore
@testable import SecretsServer

/// The hand-written replies of the hottest routes are byte for byte what JSONEncoder (sorted keys) writes.
struct JSONResponseTests {
    static let awkward: [String] = [
        "plain", "", String((0..<128).compactMap { Unicode.Scalar($0) }.map(Character.init)),
        "ключ\n🔑\t\"q\"\\/", "\u{FEFF}bom", "\u{2028}\u{2029}\u{7F}", "a/b", String(repeating: "long \"quoted\" text ", count: 100),
    ]

    func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func body(_ response: Response) async throws -> String {
        let collected = CollectedBody()
        try await response.body.write(CollectingWriter(collected: collected))
        return String(buffer: collected.buffer)
    }

    @Test(arguments: awkward)
    func stringsAreEscapedAsTheEncoderEscapesThem(_ text: String) throws {
        var json = JSONWriter(capacity: 4)
        json.string(text)
        #expect(String(buffer: json.buffer) == (try encoded(text)))
    }

    @Test func metadataRepliesMatchTheEncoder() async throws {
        for description in Self.awkward.map(Optional.some) + [nil] {
            for name in ["n", "x.y_z-1"] {
                let metadata = SecretMetadata(
                    name: name, workspace: "w-1", description: description, createdAt: Timestamp(microsecondsSinceEpoch: 1),
                    updatedAt: Timestamp(microsecondsSinceEpoch: 1_700_000_000_123_456))
                let response = JSONResponse.metadata(metadata, status: .created)
                #expect(response.status == .created)
                #expect(response.headers[.contentType] == "application/json")
                #expect(try await body(response) == (try encoded(metadata)))
            }
        }
    }

    @Test func accessRepliesMatchTheEncoderAndRefuseValuesThatAreNotText() async throws {
        struct Access: Encodable { let name, value, workspace: String }
        let reference = SecretReference(workspace: try WorkspaceName("team-a"), name: try SecretName("hf.token"))
        for value in Self.awkward where !value.isEmpty {
            let response = try #require(JSONResponse.access(reference, value: SecretValue(value)))
            #expect(try await body(response) == (try encoded(Access(name: "hf.token", value: value, workspace: "team-a"))))
        }
        #expect(JSONResponse.access(reference, value: SecretValue(bytes: [0x61, 0xFF, 0x62])) == nil)
    }

    @Test func durationsAreLoggedAsMillisecondsToTheMicrosecond() {
        for microseconds in [0, 1, 10, 100, 999, 1000, 1001, 1500, 12_345, 120_000, 3_600_000_123] {
            let expected = "\((Double(microseconds) / 1000 * 1000).rounded() / 1000)"
            #expect(RequestLogMiddleware.milliseconds(.microseconds(microseconds)) == expected)
        }
        #expect(RequestLogMiddleware.milliseconds(.nanoseconds(1_499)) == "0.001")
        #expect(RequestLogMiddleware.milliseconds(.nanoseconds(1_500)) == "0.002")
    }

    @Test func bearerTokensAreTakenFromTheSchemeInAnyCase() {
        #expect(CallerMiddleware.bearerToken(in: "Bearer jrt_abc") == "jrt_abc")
        #expect(CallerMiddleware.bearerToken(in: "bEaReR jrt_abc") == "jrt_abc")
        #expect(CallerMiddleware.bearerToken(in: "Bearer  two spaces") == " two spaces")
        for refused in ["Bearer ", "Bearer", "Basic abc", "Bearer\0abc", "Bearer\tabc", "Bearér abc", ""] {
            #expect(CallerMiddleware.bearerToken(in: refused) == nil, "\(refused.debugDescription)")
        }
    }
}

/// The bytes a response body writes, gathered by ``CollectingWriter``.
final class CollectedBody: @unchecked Sendable {
    var buffer = ByteBuffer()
}

/// A body writer that keeps what it is given instead of sending it.
struct CollectingWriter: ResponseBodyWriter {
    let collected: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collected.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
