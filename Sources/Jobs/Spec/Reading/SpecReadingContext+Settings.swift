import Foundation
import Yams

extension SpecReadingContext {
    /// A yes/no setting from `entry`, written as YAML's `true`/`false` (not quoted), so that `"false"` is never
    /// taken for yes.
    func flag(_ entry: SpecMapping.Entry) -> Bool? {
        guard case .scalar = entry.value, entry.value.tagName == .bool, let value = entry.value.bool else {
            problems.report(
                "expected true or false (without quotes), found \(entry.value.kindDescription)", line: entry.line, at: entry.path)
            return nil
        }
        return value
    }

    /// One of `choices` from `entry`, reported with the list when it is anything else.
    func choice<Choice: RawRepresentable & CaseIterable>(_ entry: SpecMapping.Entry, of _: Choice.Type) -> Choice?
    where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        guard let text = text(entry, expecting: "one of " + allowed.joined(separator: ", ")) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            problems.report(
                "'\(text.escapedForSpecMessage)' is not one of " + allowed.joined(separator: ", "), line: entry.line, at: entry.path)
            return nil
        }
        return choice
    }

    /// An `http` or `https` URL with a host from `entry`, without a trailing slash, so that paths can be appended.
    func serviceURL(_ entry: SpecMapping.Entry) -> String? {
        guard let text = text(entry, expecting: "a URL such as https://example.com") else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else {
            problems.report(
                "'\(text.escapedForSpecMessage)' is not a usable service URL; write http(s)://host[:port][/path] "
                    + "without credentials, query or fragment",
                line: entry.line, at: entry.path)
            return nil
        }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// A path from `entry`, made absolute against the spec file's directory.
    func path(_ entry: SpecMapping.Entry, expecting expectation: String) -> String? {
        guard let text = text(entry, expecting: expectation) else { return nil }
        if text.isEmpty || text.unicodeScalars.contains("\0") {
            let reason = text.isEmpty ? "it is empty" : "it contains a NUL character"
            problems.report("invalid path: \(reason)", line: entry.line, at: entry.path)
            return nil
        }
        return SpecPath.absolute(text, relativeTo: directory)
    }

    /// A list of texts from `entry`; a single text is taken as a list of one, as `huggingface_hub` does for patterns.
    func texts(_ entry: SpecMapping.Entry, expecting expectation: String) -> [String]? {
        switch entry.value {
        case let .sequence(items):
            var texts: [String] = []
            var valid = true
            for (index, item) in items.enumerated() {
                if let text = text(item, line: item.line ?? entry.line, at: entry.path.appending(index: index), expecting: expectation) {
                    texts.append(text)
                } else {
                    valid = false
                }
            }
            return valid ? texts : nil
        default:
            return text(entry, expecting: "\(expectation), or a list of them").map { [$0] }
        }
    }

    /// A W&B project or entity name from `entry`: W&B refuses `/ \ # ? % :` and blanks in them.
    func wandbName(_ entry: SpecMapping.Entry, kind: String) -> String? {
        guard let name = text(entry, expecting: "a W&B \(kind) name") else { return nil }
        let refused = CharacterSet(charactersIn: "/\\#?%:").union(.whitespacesAndNewlines).union(.controlCharacters)
        if name.isEmpty || name.count > 128 || name.unicodeScalars.contains(where: refused.contains) {
            problems.report(
                "invalid W&B \(kind) name '\(name.escapedForSpecMessage)': use 1 to 128 characters without / \\ # ? % : or blanks",
                line: entry.line, at: entry.path)
            return nil
        }
        return name
    }
}
