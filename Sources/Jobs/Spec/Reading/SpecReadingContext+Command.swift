import Yams

extension SpecReadingContext {
    /// The argument vector in `entry` (the program, then its arguments), which runs without a shell. `key` is the
    /// key's name in this format (`run`, `command`), used in the fix a message suggests.
    func command(_ entry: SpecMapping.Entry, key: String) -> [String]? {
        switch entry.value {
        case let .sequence(items):
            guard !items.isEmpty else {
                problems.report(
                    "'\(key)' is empty; give the program and its arguments, e.g. \(key): [\"python3\", \"train.py\"]",
                    line: entry.line, at: entry.path)
                return nil
            }
            var arguments: [String] = []
            var valid = true
            for (index, item) in items.enumerated() {
                let path = entry.path.appending(index: index)
                guard let argument = text(item, line: item.line ?? entry.line, at: path, expecting: "text (one argument)") else {
                    valid = false
                    continue
                }
                if argument.unicodeScalars.contains("\0") {
                    problems.report("the argument contains a NUL character, which no argument can hold", line: item.line, at: path)
                    valid = false
                } else if index == 0 && argument.isEmpty {
                    problems.report("the program name is empty", line: item.line, at: path)
                    valid = false
                }
                arguments.append(argument)
            }
            return valid ? arguments : nil
        case let .scalar(scalar) where !entry.value.isNull:
            problems.report(Self.singleStringAdvice(scalar.string, key: key), line: entry.line, at: entry.path)
            return nil
        default:
            problems.report(
                "expected a list of arguments, found \(entry.value.kindDescription); write e.g. \(key): [\"python3\", \"train.py\"]",
                line: entry.line, at: entry.path)
            return nil
        }
    }

    /// The message for a command written as one string: no shell will split it, so show the list it was
    /// probably meant to be, and the explicit shell form when it uses shell syntax.
    private static func singleStringAdvice(_ command: String, key: String) -> String {
        let prefix = "'\(key)' must be a list of arguments, not a single string, because no shell is used; "
        if command.contains(where: { "|&;<>$`*?(){}~\\\"'".contains($0) }) {
            return prefix + "write \(key): [\"sh\", \"-c\", \"\(command.escapedForSpecMessage)\"] to run it with the shell, "
                + "or split it into its arguments"
        }
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        return prefix + "write \(key): [" + words.map { "\"\($0.escapedForSpecMessage)\"" }.joined(separator: ", ") + "]"
    }
}
