import Foundation
import HTTPTypes
import Hummingbird
import SecretStore

/// Encodes reply bodies the same way for every route: the API's field names, keys sorted for stable output.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A JSON response with `status` and `value` as its body.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension JSONResponse {
    /// The metadata reply written directly: the same bytes as the encoder with sorted keys, at a fraction of
    /// the cost on the hottest route (a test compares the two).
    static func metadata(_ metadata: SecretMetadata) -> Response {
        var body = #"{"created_at":"# + quoted(metadata.createdAt.description) + #","description":"#
        body += metadata.description.map(quoted) ?? "null"
        body += #","name":"# + quoted(metadata.name) + #","updated_at":"# + quoted(metadata.updatedAt.description)
        body += #","workspace":"# + quoted(metadata.workspace) + "}"
        return raw(body)
    }

    /// The `/access` reply `{"name","value","workspace"}`, written directly like ``metadata(_:)``.
    static func access(name: String, workspace: String, value: String) -> Response {
        raw(#"{"name":"# + quoted(name) + #","value":"# + quoted(value) + #","workspace":"# + quoted(workspace) + "}")
    }

    /// `text` as a JSON string literal, escaped as JSONEncoder escapes it (without escaping slashes).
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    private static func raw(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
