/// Writes a value percent-encoded, the form it takes in URLs, query strings and form bodies.
///
/// The rules are those of Python's `urllib.parse.quote(value, safe='')` and `quote_plus(value, safe='')`: only
/// ASCII letters, digits and `_.-~` stay as they are.
enum PercentEncodedForm {
    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits = Array("0123456789abcdef".utf8)

    /// The percent-encoded text of `bytes`; `spaceAsPlus` writes a space as `+` as form encoding does.
    static func encode(_ bytes: UnsafeRawBufferPointer, spaceAsPlus: Bool, upperCaseHex: Bool) -> [UInt8] {
        let digits = upperCaseHex ? upperHexDigits : lowerHexDigits
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if isUnreserved(byte) {
                text.append(byte)
            } else if spaceAsPlus && byte == UInt8(ascii: " ") {
                text.append(UInt8(ascii: "+"))
            } else {
                text.append(UInt8(ascii: "%"))
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return text
    }

    /// Whether `byte` is left alone by `quote`: `A-Z a-z 0-9 _ . - ~`.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
