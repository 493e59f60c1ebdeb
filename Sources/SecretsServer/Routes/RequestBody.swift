import Foundation
import Hummingbird
import NIOCore

/// A JSON request body read as loose fields, so every mistake gets a FastAPI-style 422 naming the field,
/// and unknown fields are ignored as the reference ignores them.
struct RequestBody {
    private let fields: [String: Any]

    /// Parses `buffer` as a JSON object; an empty body counts as `{}`.
    init(_ buffer: ByteBuffer) throws {
        if buffer.readableBytes == 0 {
            fields = [:]
            return
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
        } catch {
            throw APIError.invalid(["body"], "JSON decode error: the body is not valid JSON", type: "json_invalid")
        }
        guard let object = parsed as? [String: Any] else {
            throw APIError.invalid(
                ["body"], "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type")
        }
        fields = object
    }

    /// A required string field.
    func requiredString(_ key: String) throws -> String {
        guard let present = fields[key], !(present is NSNull) else {
            throw APIError.invalid(["body", .key(key)], "Field required", type: "missing")
        }
        return try string(present, key: key)
    }

    /// An optional string field; nil when absent or null.
    func optionalString(_ key: String) throws -> String? {
        guard let present = fields[key], !(present is NSNull) else { return nil }
        return try string(present, key: key)
    }

    /// The secret value: `value`, or the seed SDK's `data`; nil when neither is present.
    func secretValue() throws -> (text: String, field: String)? {
        if let value = try optionalString("value") { return (value, "value") }
        if let data = try optionalString("data") { return (data, "data") }
        return nil
    }

    private func string(_ value: Any, key: String) throws -> String {
        // NSNumber bridges from JSON numbers and booleans; only real strings are accepted.
        guard let text = value as? String, !(value is NSNumber) else {
            throw APIError.invalid(["body", .key(key)], "Input should be a valid string", type: "string_type")
        }
        return text
    }
}
