import Yams

/// The text of a spec (YAML, or JSON, which is YAML too) composed into nodes that remember their lines, with
/// syntax problems reported instead of thrown.
///
/// Yams refuses a mapping with a repeated key outright, which would hide every other problem in the file. So the
/// earlier occurrence of a repeated key is renamed with a marker no one can type, the text is composed again, and
/// ``SpecMapping`` reports the repeat where it can also name the key path.
enum SpecDocument {
    /// Starts and ends the number that renames an earlier occurrence of a repeated key; a private-use character,
    /// so it cannot clash with anything an author writes.
    private static let renameMarker: Unicode.Scalar = "\u{E000}"
    /// A bound on re-composing, so that a pathological file cannot keep the loader busy.
    private static let maximumRenames = 500

    /// The document's root node; `nil` with a reported problem when the text is not a single YAML document, and
    /// `nil` without one when the text is empty.
    static func compose(_ text: String, problems: SpecProblemList) -> Node? {
        var working = text
        var renames = 0
        while true {
            do {
                return try Yams.compose(yaml: working)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                guard renames < maximumRenames, let renamed = renamingKey(at: context.mark, in: working, number: renames) else {
                    let keys = duplicates.map { "'\($0.escapedForSpecMessage)'" }.joined(separator: ", ")
                    problems.report("duplicate key \(keys); write each key once", line: context.mark.line, at: .root)
                    return nil
                }
                working = renamed
                renames += 1
            } catch let error as YamlError {
                report(error, in: working, problems: problems)
                return nil
            } catch {
                problems.report("the file cannot be read as YAML: \(error)", line: nil, at: .root)
                return nil
            }
        }
    }

    /// `key` as the author wrote it, without the marker this type may have added.
    static func originalKey(_ key: String) -> String {
        let scalars = key.unicodeScalars
        guard scalars.first == renameMarker else { return key }
        let afterFirst = scalars.index(after: scalars.startIndex)
        guard let closing = scalars[afterFirst...].firstIndex(of: renameMarker) else { return key }
        return String(scalars[scalars.index(after: closing)...])
    }

    /// `text` with the key that starts at `mark` renamed (the marker, `number`, the marker, then the key), or `nil`
    /// when the key is not plain or quoted text (an alias, a block scalar) and cannot be renamed safely.
    private static func renamingKey(at mark: Mark, in text: String, number: Int) -> String? {
        var scalars = Array(text.unicodeScalars)
        guard var offset = SpecSourceLocation.scalarOffset(line: mark.line, column: mark.column, in: scalars) else { return nil }
        // Skip node properties (`&anchor`, `!tag`), which the mark of a scalar event includes.
        while offset < scalars.count, scalars[offset] == "&" || scalars[offset] == "!" {
            while offset < scalars.count, scalars[offset] != " ", scalars[offset] != "\t" { offset += 1 }
            while offset < scalars.count, scalars[offset] == " " || scalars[offset] == "\t" { offset += 1 }
        }
        guard offset < scalars.count else { return nil }
        let insertion: Int
        switch scalars[offset] {
        case "\"", "'": insertion = offset + 1
        case "*", "|", ">", " ", "\t", "\n", "\r", "[", "]", "{", "}", ",", "#", "?", ":", "%", "@", "`": return nil
        default: insertion = offset
        }
        let prefix = [renameMarker] + Array(String(number).unicodeScalars) + [renameMarker]
        scalars.insert(contentsOf: prefix, at: insertion)
        var renamed = String.UnicodeScalarView()
        renamed.append(contentsOf: scalars)
        return String(renamed)
    }

    private static func report(_ error: YamlError, in text: String, problems: SpecProblemList) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if problem == "but found another document" {
                problems.report(
                    "the file holds more than one YAML document (a second '---'); a spec is a single document",
                    line: mark.line, at: .root)
                return
            }
            var message = "YAML syntax error: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) on line \(context.mark.line))"
            }
            if SpecSourceLocation.lineIsIndentedWithTab(mark.line, in: text) {
                message += "; indent with spaces, not tabs"
            }
            problems.report(message, line: mark.line, at: .root)
        case let .reader(problem, offset, _, _):
            let line = offset.map { SpecSourceLocation.line(ofCharacterOffset: $0, in: text) }
            problems.report("the file cannot be read as YAML: \(problem)", line: line, at: .root)
        default:
            problems.report("the file cannot be read as YAML: \(error)", line: nil, at: .root)
        }
    }
}
