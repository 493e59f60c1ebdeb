import NIOCore
import SecretStore

/// JSON text written straight into one `ByteBuffer`, byte for byte as `JSONEncoder` with sorted keys and
/// unescaped slashes writes it, so the hottest replies cost one buffer instead of a String per field.
///
/// The caller writes keys in sorted order itself; the writer only escapes strings and formats timestamps.
struct JSONWriter {
    /// The text written so far.
    private(set) var buffer: ByteBuffer

    /// A writer whose buffer holds `capacity` bytes before it has to grow.
    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Writes `text` as it is: punctuation and keys, which need no escaping.
    mutating func raw(_ text: StaticString) {
        buffer.writeStaticString(text)
    }

    /// Writes `text` as a JSON string literal.
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Writes `text`, or `null` when it is nil.
    mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// Writes a timestamp as the reference's string, `"YYYY-MM-DDTHH:MM:SS.ffffff"`.
    mutating func timestamp(_ timestamp: Timestamp) {
        timestamp.withDescriptionUTF8 { string(utf8: $0) }
    }

    /// Writes UTF-8 bytes as a JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`… or
    /// `\u00XX`, everything else (including `/`, U+007F and non-ASCII) as it is, as JSONEncoder does.
    mutating func string(utf8 bytes: UnsafeRawBufferPointer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var unwritten = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[unwritten..<index]))
            escape(byte)
            unwritten = index + 1
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[unwritten...]))
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw(#"\""#)
        case UInt8(ascii: "\\"): raw(#"\\"#)
        case UInt8(ascii: "\n"): raw(#"\n"#)
        case UInt8(ascii: "\r"): raw(#"\r"#)
        case UInt8(ascii: "\t"): raw(#"\t"#)
        case 0x08: raw(#"\b"#)
        case 0x0C: raw(#"\f"#)
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            raw(#"\u00"#)
            buffer.writeInteger(hexDigits.utf8Start[Int(byte >> 4)])
            buffer.writeInteger(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }
}
