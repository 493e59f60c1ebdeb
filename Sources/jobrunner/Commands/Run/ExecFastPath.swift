/// Parses the common shapes of `jobrunner exec … -- CMD` without ArgumentParser.
///
/// `exec` is a container entrypoint: it runs before every job's command, so its start-up time is a cost every
/// job pays. ArgumentParser builds the whole command tree by reflection to parse one command line (about 10 ms
/// of a release build's start, mostly Swift runtime conformance lookups), so the plain shapes are parsed here
/// instead: known options in `--name value` or `--name=value` form (and `-v`), each at most once (`--env` and `--file`
/// repeat), global options before `exec`, and the command after `--`. Anything else (help, a typo, a missing
/// or dash-led value, a repeated option, a value out of range) returns nil and goes to ArgumentParser, which
/// owns every message and error. `ExecFastPathTests` checks that whenever this returns a request, ArgumentParser
/// parses the same arguments to the same request.
enum ExecFastPath {
    /// The request for `arguments` (the command line without the program name), or nil to let ArgumentParser
    /// parse it.
    static func request(from arguments: [String]) -> ExecRequest? {
        var request = ExecRequest()
        var seen: Set<String> = []
        var index = arguments.startIndex
        var inExec = false
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if !inExec && argument == "exec" {
                inExec = true
                continue
            }
            if argument == "--" {
                guard inExec else { return nil }
                request.command = Array(arguments[index...])
                return request.command.isEmpty ? nil : request
            }
            if argument == "-v" {
                guard inExec, seen.insert("--verbose").inserted else { return nil }
                request.verbose = true
                continue
            }
            guard argument.hasPrefix("--") else { return nil }
            let name: Substring
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = argument[..<equals]
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = Substring(argument)
            }
            guard let option = option(named: name), inExec || option.isGlobal else { return nil }
            guard option.repeats || seen.insert(String(name)).inserted else { return nil }
            if option.takesValue {
                if value == nil {
                    guard index < arguments.endIndex else { return nil }
                    value = arguments[index]
                    index += 1
                }
                guard let value, !value.isEmpty, !value.hasPrefix("-"), option.apply(&request, value) else {
                    return nil
                }
            } else {
                guard value == nil, option.apply(&request, "") else { return nil }
            }
        }
        return nil
    }

    /// One option `exec` accepts, and how it changes the request.
    private struct Option: Sendable {
        var takesValue = true
        var repeats = false
        /// `--data-dir` and `--config` may also come before `exec`.
        var isGlobal = false
        /// Stores the value; false when it is not one the option accepts (ArgumentParser then says why).
        var apply: @Sendable (inout ExecRequest, String) -> Bool
    }

    /// The option `name` (without any `=value`), or nil for one the fast path leaves to ArgumentParser. A switch,
    /// not a dictionary: building a dictionary of closures costs more runtime type lookups than this saves.
    private static func option(named name: Substring) -> Option? {
        switch name {
        case "--data-dir": return Option(isGlobal: true) { $0.store.dataDirectory = $1; return true }
        case "--config": return Option(isGlobal: true) { $0.store.configFile = $1; return true }
        case "--env": return Option(repeats: true) { $0.environment.append($1); return true }
        case "--file": return Option(repeats: true) { $0.files.append($1); return true }
        case "--workspace": return Option { $0.workspace = $1; return true }
        case "--name": return Option { $0.name = $1; return true }
        case "--verbose": return Option(takesValue: false) { request, _ in request.verbose = true; return true }
        case "--secrets-url": return Option { $0.injection.secretsURL = $1; return true }
        case "--service-token-file": return Option { $0.injection.serviceTokenFile = $1; return true }
        case "--owner": return Option { $0.injection.owner = $1; return true }
        case "--allow-cross-workspace":
            return Option(takesValue: false) { request, _ in request.injection.allowCrossWorkspace = true; return true }
        case "--clean-env":
            return Option(takesValue: false) { request, _ in request.injection.cleanEnvironment = true; return true }
        case "--no-masking":
            return Option(takesValue: false) { request, _ in request.injection.noMasking = true; return true }
        case "--mask-min-length":
            return Option { request, text in
                guard let length = Int(text), length >= 1 else { return false }
                request.injection.maskMinimumLength = length
                return true
            }
        case "--isolation":
            return Option { request, text in
                guard let choice = IsolationChoice(rawValue: text) else { return false }
                request.injection.isolation = choice
                return true
            }
        case "--tty":
            return Option { request, text in
                guard let choice = TerminalChoice(rawValue: text) else { return false }
                request.injection.tty = choice
                return true
            }
        case "--kill-grace":
            return Option { request, text in
                guard let seconds = Int(text), seconds >= 0 else { return false }
                request.injection.killGrace = seconds
                return true
            }
        default: return nil
        }
    }
}
