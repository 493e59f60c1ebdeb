/// The naming rule shared by secrets and workspaces: ASCII letters, digits, `.`, `_` and `-`, 1 to 255 characters.
///
/// The reference service's `\w` also lets Unicode letters through; we do not, so that every name is safe in
/// URLs, file names, Kubernetes objects and log lines without escaping.
public enum ResourceNameRule {
    /// The longest name accepted.
    public static let maximumLength = 255

    /// Checks `candidate` against the rule and throws an error that names the first offending character.
    static func validate(_ candidate: String, kind: String) throws {
        let scalars = candidate.unicodeScalars
        if scalars.isEmpty {
            throw SecretStoreError.invalidName(kind: kind, name: candidate, reason: "it is empty")
        }
        for (offset, scalar) in scalars.enumerated() where !isAllowed(scalar) {
            throw SecretStoreError.invalidName(
                kind: kind,
                name: candidate,
                reason: "character \(describe(scalar)) at position \(offset + 1) is not allowed"
            )
        }
        if scalars.count > maximumLength {
            throw SecretStoreError.invalidName(
                kind: kind,
                name: candidate,
                reason: "it is \(scalars.count) characters long; the limit is \(maximumLength)"
            )
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true  // 0-9 A-Z a-z
        case 0x2D, 0x2E, 0x5F: return true  // - . _
        default: return false
        }
    }

    /// Shows a character so that a reader can tell what it is, even when it is invisible.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value >= 0x21 && scalar.value < 0x7F { return "'\(Character(scalar))'" }
        if scalar == " " { return "' ' (space)" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            return "'\(Character(scalar))' (\(code); only ASCII letters and digits are allowed)"
        }
        return code
    }
}

extension String {
    /// The string with control characters and non-ASCII shown as escapes, for error messages about names.
    var escapedForDisplay: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
