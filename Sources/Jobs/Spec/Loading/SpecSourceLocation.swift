/// Converts between the line and column positions the YAML parser reports and positions in the spec's text,
/// counting line breaks the way the parser does (`\n`, `\r\n`, `\r`, NEL, LS, PS).
enum SpecSourceLocation {
    /// The offset in `scalars` of 1-based `line` and `column` (columns count Unicode scalars), or `nil` when the
    /// text is shorter.
    static func scalarOffset(line: Int, column: Int, in scalars: [Unicode.Scalar]) -> Int? {
        var offset = scalars.first == "\u{FEFF}" ? 1 : 0
        var currentLine = 1
        while currentLine < line {
            guard offset < scalars.count else { return nil }
            let scalar = scalars[offset]
            if scalar == "\r", offset + 1 < scalars.count, scalars[offset + 1] == "\n" { offset += 1 }
            if isBreak(scalar) { currentLine += 1 }
            offset += 1
        }
        let target = offset + column - 1
        return target <= scalars.count ? target : nil
    }

    /// The 1-based line of the character at `offset` (counted in `Character`s, as Yams reports reader errors).
    static func line(ofCharacterOffset offset: Int, in text: String) -> Int {
        var line = 1
        for character in text.prefix(offset) where character.unicodeScalars.contains(where: isBreak) {
            line += 1
        }
        return line
    }

    /// Whether 1-based `line` of `text` has a tab in its indentation, the usual cause of YAML scanner errors.
    static func lineIsIndentedWithTab(_ line: Int, in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard var offset = scalarOffset(line: line, column: 1, in: scalars) else { return false }
        while offset < scalars.count, scalars[offset] == " " || scalars[offset] == "\t" {
            if scalars[offset] == "\t" { return true }
            offset += 1
        }
        return false
    }

    private static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": return true
        default: return false
        }
    }
}
