import SecretStore
import Yams

extension SpecReadingContext {
    /// The text of `entry`; any scalar counts, as written (`1.0` stays `1.0`), so that authors need not quote
    /// numbers. Reports `nil`, lists and mappings as "expected `expectation`".
    func text(_ entry: SpecMapping.Entry, expecting expectation: String) -> String? {
        text(entry.value, line: entry.line, at: entry.path, expecting: expectation)
    }

    /// The text of `node` at `path`; see ``text(_:expecting:)``.
    func text(_ node: Node, line: Int?, at path: SpecKeyPath, expecting expectation: String) -> String? {
        guard let text = node.scalarText else {
            problems.report("expected \(expectation), found \(node.kindDescription)", line: line, at: path)
            return nil
        }
        return text
    }

    /// A job or step name from `entry`, checked against ``JobNameRule``; `kind` is "job name" or "step name".
    func name(_ entry: SpecMapping.Entry, kind: String) -> String? {
        guard let name = text(entry, expecting: "a \(kind)") else { return nil }
        if let problem = JobNameRule.problem(with: name, kind: kind) {
            problems.report(problem, line: entry.line, at: entry.path)
            return nil
        }
        return name
    }

    /// The workspace named by `entry`, checked against the store's naming rule.
    func workspace(_ entry: SpecMapping.Entry) -> WorkspaceName? {
        guard let text = text(entry, expecting: "a workspace name") else { return nil }
        do {
            return try WorkspaceName(text)
        } catch {
            problems.report("\(error)", line: entry.line, at: entry.path)
            return nil
        }
    }

    /// The secret reference in `entry`: `workspace/secret_name`, or a bare `secret_name` in the spec's workspace.
    func reference(_ entry: SpecMapping.Entry) -> SecretReference? {
        if entry.value.isNull {
            problems.report(
                "the secret reference is empty; write workspace/secret_name or secret_name", line: entry.line, at: entry.path)
            return nil
        }
        guard let text = text(entry, expecting: "a secret reference (workspace/secret_name or secret_name)") else { return nil }
        do {
            return try SecretReference(parsing: text, defaultWorkspace: workspace)
        } catch {
            problems.report("\(error)", line: entry.line, at: entry.path)
            return nil
        }
    }

    /// A literal variable value from `entry`. The value itself never appears in a message: a literal may be a
    /// credential pasted by mistake.
    func literal(_ entry: SpecMapping.Entry) -> String? {
        if entry.value.isNull {
            problems.report(
                "the value is empty (null); write value: \"\" for an empty variable", line: entry.line, at: entry.path)
            return nil
        }
        guard let text = text(entry, expecting: "text") else { return nil }
        if text.unicodeScalars.contains("\0") {
            problems.report("the value contains a NUL character, which no environment variable can hold", line: entry.line, at: entry.path)
            return nil
        }
        return text
    }

    /// The absolute working directory named by `entry`, relative to the spec file's directory. It need not exist
    /// yet: an earlier step may create it.
    func workingDirectory(_ entry: SpecMapping.Entry) -> String? {
        guard let text = text(entry, expecting: "a directory path") else { return nil }
        if text.isEmpty || text.unicodeScalars.contains("\0") {
            let reason = text.isEmpty ? "it is empty" : "it contains a NUL character"
            problems.report("invalid working directory: \(reason); write e.g. . for the spec's directory", line: entry.line, at: entry.path)
            return nil
        }
        return SpecPath.absolute(text, relativeTo: directory)
    }

    /// A step time limit from `entry`: a positive whole number of seconds, written as a number.
    func timeout(_ entry: SpecMapping.Entry) -> Duration? {
        let advice = "write a positive whole number of seconds, e.g. 3600"
        let node = entry.value
        guard case .scalar = node else {
            problems.report("expected a number of seconds, found \(node.kindDescription); \(advice)", line: entry.line, at: entry.path)
            return nil
        }
        switch node.tagName {
        case .int:
            guard let seconds = node.int else {
                problems.report("the timeout is too large; \(advice)", line: entry.line, at: entry.path)
                return nil
            }
            guard seconds > 0 else {
                problems.report("the timeout must be positive, found \(seconds); \(advice)", line: entry.line, at: entry.path)
                return nil
            }
            return .seconds(seconds)
        case .float:
            problems.report(
                "the timeout must be a whole number, found \(node.scalarText ?? "a fraction"); \(advice)", line: entry.line, at: entry.path)
            return nil
        default:
            problems.report(
                "expected a number of seconds, found \(node.kindDescription) (numbers are written without quotes); \(advice)",
                line: entry.line, at: entry.path)
            return nil
        }
    }
}
