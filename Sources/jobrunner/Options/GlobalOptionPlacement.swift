import ArgumentParser

/// Lets the global options come before the command, as in `jobrunner --data-dir DIR secrets list`.
///
/// ArgumentParser only accepts options on the command that declares them, and every store command declares
/// ``StoreOptions``. So leading global options are moved to just after the subcommand names, where the leaf
/// command parses them; nothing after a `--` is touched.
enum GlobalOptionPlacement {
    /// The options that may precede the command, each taking one value.
    static let globalOptions: Set<String> = ["--data-dir", "--config"]

    /// `arguments` (without the program name) with leading global options moved after the subcommand path.
    static func reorder(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard globalOptions.contains(name) else { break }
            leading.append(argument)
            if !argument.contains("="), index + 1 < arguments.endIndex {
                leading.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        guard !leading.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        var command: any ParsableCommand.Type = root
        var pathLength = 0
        while pathLength < rest.count,
            let next = command.configuration.subcommands.first(where: {
                $0.configuration.commandName == rest[pathLength]
            })
        {
            command = next
            pathLength += 1
        }
        guard command.configuration.subcommands.isEmpty else {
            // The command line names no runnable command (a typo, or a group alone): leave the options out so
            // the error or help is about the command, not about options that group does not declare.
            return rest
        }
        rest.insert(contentsOf: leading, at: pathLength)
        return rest
    }
}
