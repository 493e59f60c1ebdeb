/// The byte sequences in which a secret value can show up in a child's output: the value itself, its encodings,
/// and, for a multi-line value, each of its lines.
///
/// The list may repeat a sequence (an encoding that changes nothing equals the value); ``MaskPatternTable`` keeps
/// one copy of each.
enum SecretForms {
    /// Every form of `value` that the masker hides; empty when the value is shorter than `minimumLength`.
    ///
    /// The arrays hold plaintext: the caller must wipe them once it has copied them.
    static func forms(of value: UnsafeRawBufferPointer, minimumLength: Int) -> [[UInt8]] {
        guard value.count >= max(minimumLength, 1) else { return [] }
        var forms = [Array(value)]
        forms += encodedForms(of: value)
        for line in lines(of: value) where line.count >= max(minimumLength, 1) {
            // A line on its own is printed raw or inside JSON (a PEM key logged with other line endings);
            // the line-wise base64 and percent forms would be noise nobody prints.
            forms.append(Array(line))
            forms += JSONEscapedForm.Style.allCases.compactMap { JSONEscapedForm.escape(line, style: $0) }
        }
        return forms
    }

    /// The base64, base64url, percent-encoded and JSON-escaped forms of `value`.
    private static func encodedForms(of value: UnsafeRawBufferPointer) -> [[UInt8]] {
        var forms = [[UInt8]]()
        for alphabet in [Base64Form.Alphabet.standard, .url] {
            for padded in [true, false] {
                forms.append(Base64Form.encode(value, alphabet: alphabet, padded: padded))
            }
        }
        for spaceAsPlus in [false, true] {
            for upperCaseHex in [true, false] {
                forms.append(PercentEncodedForm.encode(value, spaceAsPlus: spaceAsPlus, upperCaseHex: upperCaseHex))
            }
        }
        forms += JSONEscapedForm.Style.allCases.compactMap { JSONEscapedForm.escape(value, style: $0) }
        return forms
    }

    /// The lines of a value that holds line breaks (`\n`, `\r\n` or `\r`), or nothing for a one-line value.
    private static func lines(of value: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        guard value.contains(where: isLineBreak) else { return [] }
        var lines = [UnsafeRawBufferPointer]()
        var start = 0
        for index in 0...value.count where index == value.count || isLineBreak(value[index]) {
            if index > start { lines.append(UnsafeRawBufferPointer(rebasing: value[start..<index])) }
            start = index + 1
        }
        return lines
    }

    private static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
