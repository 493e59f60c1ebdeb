/// The masking rule written as plainly as possible over a whole text: at each position the longest pattern that
/// starts there is replaced, else the byte is kept. Fuzz tests hold the streaming masker to it.
struct ReferenceMasker {
    let patterns: [[UInt8]]
    var replacement: [UInt8] = Array("****".utf8)

    /// Patterns grouped by their first byte, longest first.
    private var byFirstByte: [UInt8: [[UInt8]]] {
        Dictionary(grouping: patterns.filter { !$0.isEmpty }, by: { $0[0] }).mapValues { $0.sorted { $0.count > $1.count } }
    }

    /// The masked text.
    func mask(_ text: [UInt8]) -> [UInt8] {
        let groups = byFirstByte
        var output = [UInt8]()
        var position = 0
        while position < text.count {
            let match = groups[text[position]]?.first { pattern in
                pattern.count <= text.count - position && text[position..<position + pattern.count].elementsEqual(pattern)
            }
            if let match {
                output += replacement
                position += match.count
            } else {
                output.append(text[position])
                position += 1
            }
        }
        return output
    }

    /// Whether `tail` is a proper prefix of some pattern, the only thing a streaming masker may hold back.
    func isProperPrefixOfAPattern(_ tail: ArraySlice<UInt8>) -> Bool {
        patterns.contains { $0.count > tail.count && $0.starts(with: tail) }
    }
}
