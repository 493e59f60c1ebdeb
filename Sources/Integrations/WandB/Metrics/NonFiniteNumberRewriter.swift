/// Rewrites the bare `NaN`, `Infinity` and `-Infinity` tokens Python's `json.dumps` writes (they are not JSON)
/// into the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, which is how wandb itself records them.
enum NonFiniteNumberRewriter {
    /// The rewritten line, or nil when it holds no such token outside a string.
    static func rewrite(_ bytes: [UInt8]) -> [UInt8]? {
        let tokens: [[UInt8]] = [Array("-Infinity".utf8), Array("Infinity".utf8), Array("NaN".utf8)]
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var index = 0
        var inString = false
        var changed = false
        scan: while index < bytes.count {
            let byte = bytes[index]
            if inString {
                output.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    output.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
            } else {
                for token in tokens where bytes[index...].starts(with: token) {
                    output.append(UInt8(ascii: "\""))
                    output.append(contentsOf: token)
                    output.append(UInt8(ascii: "\""))
                    index += token.count
                    changed = true
                    continue scan
                }
            }
            output.append(byte)
            index += 1
        }
        return changed ? output : nil
    }
}
