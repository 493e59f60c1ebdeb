import Yams

/// A mapping of the spec document, read with its problems reported: a value that is not a mapping, keys that are
/// not text, keys given twice, and (when the place has a fixed set of keys) keys that do not belong there.
///
/// Each place in the format lists its keys once, so adding a key to the format is adding it to that list and
/// reading it.
struct SpecMapping {
    /// One key and its value, located in the file.
    struct Entry {
        /// The key as written.
        let key: String
        /// The line of the key itself.
        let keyLine: Int?
        /// The key's value.
        let value: Node
        /// The path of the value.
        let path: SpecKeyPath

        /// The line to report a problem with the value on: the value's own line, else (for a missing value,
        /// whose position the parser puts after the key) the key's.
        var line: Int? { value.isNull ? keyLine : value.line ?? keyLine }
    }

    /// Where the mapping is.
    let path: SpecKeyPath
    /// The line the mapping starts on.
    let line: Int?
    /// The text keys in document order, each key's first occurrence only (later ones are reported as duplicates).
    let entries: [Entry]

    /// Reads `node` as a mapping whose keys the author chooses (variable names, file names). When it is not a
    /// mapping, reports "`expectation`, found …" and returns `nil`.
    init?(_ node: Node, at path: SpecKeyPath, expecting expectation: String, problems: SpecProblemList) {
        guard case let .mapping(mapping) = node else {
            problems.report("expected \(expectation), found \(node.kindDescription)", about: node, at: path)
            return nil
        }
        self.path = path
        self.line = node.line
        var entries: [Entry] = []
        var keys = SpecNameClaims()
        for (keyNode, value) in mapping {
            guard case let .scalar(scalar) = keyNode else {
                problems.report("a key must be text, found \(keyNode.kindDescription)", about: keyNode, at: path)
                continue
            }
            let key = SpecDocument.originalKey(scalar.string)
            let entryPath = path.appending(key)
            if case let .taken(firstLine) = keys.claim(key, line: keyNode.line) {
                let earlier = firstLine.map { " on line \($0)" } ?? ""
                problems.report(
                    "duplicate key '\(key.escapedForSpecMessage)': it is already given\(earlier); write each key once",
                    about: keyNode, at: entryPath)
                continue
            }
            entries.append(Entry(key: key, keyLine: keyNode.line, value: value, path: entryPath))
        }
        self.entries = entries
    }

    /// Reads `node` as a mapping with a fixed set of keys, and reports every other key with the list of allowed
    /// ones (and the nearest allowed one, when the key looks like a typo of it). `refusedKeys` are recognized but
    /// not offered: the caller reports them with a message of its own.
    init?(
        _ node: Node, at path: SpecKeyPath, allowedKeys: [String], refusedKeys: [String] = [], expecting expectation: String,
        problems: SpecProblemList
    ) {
        self.init(node, at: path, expecting: expectation, problems: problems)
        for entry in entries where !allowedKeys.contains(entry.key) && !refusedKeys.contains(entry.key) {
            var message = "unknown key '\(entry.key.escapedForSpecMessage)'"
            if let suggestion = SpecKeySuggestion.closest(to: entry.key, among: allowedKeys) {
                message += " (did you mean '\(suggestion)'?)"
            }
            message += "; allowed keys here: " + allowedKeys.joined(separator: ", ")
            problems.report(message, line: entry.keyLine, at: entry.path)
        }
    }

    /// The entry for `key` when it is present, even with a null value.
    func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    /// The entry for `key` when it is present with a non-null value; an optional key set to null counts as
    /// absent, as JSON writers often emit `"key": null` for unset fields.
    func value(_ key: String) -> Entry? {
        guard let entry = entry(key), !entry.value.isNull else { return nil }
        return entry
    }

    /// The entry for `key`, or a report that it is missing (with `hint` saying what to write) and `nil`.
    func required(_ key: String, hint: String, problems: SpecProblemList) -> Entry? {
        if let entry = value(key) { return entry }
        if let present = entry(key) {
            problems.report("'\(key)' is empty; \(hint)", line: present.line, at: present.path)
        } else {
            problems.report("missing required key '\(key)'; \(hint)", line: line, at: path)
        }
        return nil
    }
}
