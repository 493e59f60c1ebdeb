/// Writes a value as the body of a JSON string, the form it takes when a program logs a config or a request as JSON.
///
/// JSON writers differ in a few choices, so ``Style`` names them: Python's `json.dumps` with `ensure_ascii=True`
/// escapes every non-ASCII character as `\uXXXX` (lower-case hex), with `ensure_ascii=False` it keeps them, and
/// Swift's `JSONEncoder` keeps them but writes `/` as `\/`.
enum JSONEscapedForm {
    /// The choices in which JSON writers differ.
    struct Style: CaseIterable, Hashable {
        /// Escape DEL and every non-ASCII character as `\uXXXX`, with surrogate pairs above U+FFFF.
        var asciiOnly: Bool
        /// Write the hex digits of `\uXXXX` in upper case instead of lower case.
        var upperCaseHex: Bool
        /// Write `/` as `\/`.
        var escapesSlash: Bool

        /// Every combination of the three choices, so a value is hidden whichever writer printed it.
        static var allCases: [Style] {
            [false, true].flatMap { asciiOnly in
                [false, true].flatMap { upperCaseHex in
                    [false, true].map { escapesSlash in
                        Style(asciiOnly: asciiOnly, upperCaseHex: upperCaseHex, escapesSlash: escapesSlash)
                    }
                }
            }
        }
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits = Array("0123456789abcdef".utf8)

    /// The JSON string body of `bytes` (without the quotes), or nil when `style` needs UTF-8 and the bytes are not.
    static func escape(_ bytes: UnsafeRawBufferPointer, style: Style) -> [UInt8]? {
        var text = [UInt8]()
        // Six output bytes per input byte is the worst case (`\u0000`), so the array never reallocates and
        // leaves no stray copy of the plaintext behind.
        text.reserveCapacity(bytes.count * 6)
        if !style.asciiOnly {
            for byte in bytes { appendEscaped(byte, style: style, to: &text) }
            return text
        }
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                let scalar = Unicode.UTF8.decode(encoded).value
                if scalar < 0x7F {
                    appendEscaped(UInt8(scalar), style: style, to: &text)
                } else if scalar <= 0xFFFF {
                    appendUnicodeEscape(UInt16(scalar), style: style, to: &text)
                } else {
                    let offset = scalar - 0x1_0000
                    appendUnicodeEscape(UInt16(0xD800 + (offset >> 10)), style: style, to: &text)
                    appendUnicodeEscape(UInt16(0xDC00 + (offset & 0x3FF)), style: style, to: &text)
                }
            case .emptyInput:
                return text
            case .error:
                text.wipe()
                return nil
            }
        }
    }

    /// Appends one byte below DEL, or any byte when non-ASCII is kept, as the writer would.
    private static func appendEscaped(_ byte: UInt8, style: Style, to text: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "/") where style.escapesSlash: text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
        case 0x08: text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0A: text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: text.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x00..<0x20: appendUnicodeEscape(UInt16(byte), style: style, to: &text)
        default: text.append(byte)
        }
    }

    /// Appends `\uXXXX` for one UTF-16 code unit.
    private static func appendUnicodeEscape(_ unit: UInt16, style: Style, to text: inout [UInt8]) {
        let digits = style.upperCaseHex ? upperHexDigits : lowerHexDigits
        text.append(UInt8(ascii: "\\"))
        text.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            text.append(digits[Int(unit >> UInt16(shift) & 0xF)])
        }
    }
}
