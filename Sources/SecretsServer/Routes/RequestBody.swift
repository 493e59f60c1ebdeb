import Foundation
import Hummingbird
import NIOCore

extension JSONValue {
    fileprivate var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A JSON request body read as loose fields, so every mistake gets a FastAPI-style 422 naming the field,
/// and unknown fields are ignored as the reference ignores them.
struct RequestBody {
    private let fields: [String: JSONValue]

    /// Parses `buffer` as a JSON object; an empty body counts as `{}`.
    init(_ buffer: ByteBuffer) throws {
        if buffer.readableBytes == 0 {
            fields = [:]
            return
        }
        let bytes = Data(buffer: buffer)
        let parsed: JSONValue
        do {
            guard !Self.hasTrailingComma(bytes) else { throw APIError(.badRequest, "trailing comma") }
            parsed = try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            throw APIError.invalid(["body"], "JSON decode error: the body is not valid JSON", type: "json_invalid")
        }
        guard case let .object(object) = parsed else {
            throw APIError.invalid(
                ["body"], "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type")
        }
        fields = object
    }

    /// Whether a `,` is followed (after whitespace) by `}` or `]` outside strings: JSON forbids it, and
    /// Foundation's decoder lets it through.
    static func hasTrailingComma(_ bytes: Data) -> Bool {
        var inString = false
        var escaped = false
        var afterComma = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; afterComma = false
            case UInt8(ascii: ","): afterComma = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if afterComma { return true }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
            default: afterComma = false
            }
        }
        return false
    }

    /// A required string field.
    func requiredString(_ key: String) throws -> String {
        guard let present = fields[key], !present.isNull else {
            throw APIError.invalid(["body", .key(key)], "Field required", type: "missing")
        }
        return try string(present, key: key)
    }

    /// An optional string field; nil when absent or null.
    func optionalString(_ key: String) throws -> String? {
        guard let present = fields[key], !present.isNull else { return nil }
        return try string(present, key: key)
    }

    /// The secret value: `value`, or the seed SDK's `data`; nil when neither is present.
    func secretValue() throws -> (text: String, field: String)? {
        if let value = try optionalString("value") { return (value, "value") }
        if let data = try optionalString("data") { return (data, "data") }
        return nil
    }

    private func string(_ value: JSONValue, key: String) throws -> String {
        guard case let .string(text) = value else {
            throw APIError.invalid(["body", .key(key)], "Input should be a valid string", type: "string_type")
        }
        return text
    }
}
