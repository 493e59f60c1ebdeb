import Foundation

/// The one JSON encoder configuration the library writes with: compact, sorted keys (stable bytes for tests and
/// resends) and non-finite numbers as the strings wandb uses for them.
enum TelemetryJSON {
    /// Encodes `value` as compact JSON text.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes `text` (JSON) as `type`.
    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
