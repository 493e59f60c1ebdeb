/// Writes a value in base64, the form tokens take in HTTP Basic headers, Kubernetes secrets and config dumps.
enum Base64Form {
    /// Which 64 characters the encoding uses.
    enum Alphabet {
        /// RFC 4648 section 4: `+` and `/`.
        case standard
        /// RFC 4648 section 5, safe in URLs and file names: `-` and `_`.
        case url
    }

    private static let standardCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The base64 text of `bytes`, with `=` padding to a multiple of four characters when `padded`.
    static func encode(_ bytes: UnsafeRawBufferPointer, alphabet: Alphabet, padded: Bool) -> [UInt8] {
        let characters = alphabet == .standard ? standardCharacters : urlCharacters
        let fullGroups = bytes.count / 3
        let remainder = bytes.count % 3
        let tailCount = remainder == 0 ? 0 : (padded ? 4 : remainder + 1)
        var text = [UInt8]()
        text.reserveCapacity(fullGroups * 4 + tailCount)
        var index = 0
        for _ in 0..<fullGroups {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            text.append(characters[Int(group >> 18 & 63)])
            text.append(characters[Int(group >> 12 & 63)])
            text.append(characters[Int(group >> 6 & 63)])
            text.append(characters[Int(group & 63)])
            index += 3
        }
        if remainder > 0 {
            let second = remainder == 2 ? UInt32(bytes[index + 1]) : 0
            let group = UInt32(bytes[index]) << 16 | second << 8
            text.append(characters[Int(group >> 18 & 63)])
            text.append(characters[Int(group >> 12 & 63)])
            if remainder == 2 { text.append(characters[Int(group >> 6 & 63)]) }
            if padded { text.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 3 - remainder)) }
        }
        return text
    }
}
