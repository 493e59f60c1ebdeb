/// Finds the allowed key an unknown key was probably meant to be, for "did you mean" hints.
enum SpecKeySuggestion {
    /// The allowed key equal to `key` ignoring case, else the one at most two edits away (one for short keys),
    /// else `nil`.
    static func closest(to key: String, among allowedKeys: [String]) -> String? {
        if let sameLetters = allowedKeys.first(where: { $0.lowercased() == key.lowercased() }) { return sameLetters }
        let limit = key.count <= 4 ? 1 : 2
        let scored = allowedKeys.map { (key: $0, distance: editDistance(Array(key.lowercased()), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit else { return nil }
        return best.key
    }

    /// The Levenshtein distance between two character arrays.
    private static func editDistance(_ source: [Character], _ target: [Character]) -> Int {
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        var previous = Array(0...target.count)
        var current = previous
        for (row, sourceCharacter) in source.enumerated() {
            current[0] = row + 1
            for (column, targetCharacter) in target.enumerated() {
                let substitution = previous[column] + (sourceCharacter == targetCharacter ? 0 : 1)
                current[column + 1] = min(substitution, previous[column + 1] + 1, current[column] + 1)
            }
            swap(&previous, &current)
        }
        return previous[target.count]
    }
}
