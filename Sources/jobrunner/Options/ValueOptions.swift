import ArgumentParser
import Foundation
import SecretStore

/// Where a new value comes from: a file, standard input, or (discouraged) the command line.
struct ValueOptions: ParsableArguments {
    @Option(
        name: .customLong("from-file"),
        help: ArgumentHelp(
            "Read the value from a file, or from standard input with '-' (prompted without echo on a terminal).",
            valueName: "path"))
    var fromFile: String?

    @Option(
        name: .customLong("from-literal"),
        help: ArgumentHelp(
            "Take the value from this argument. Other users can see it in the process list and it stays in "
                + "shell history: prefer --from-file.",
            valueName: "value"))
    var fromLiteral: String?

    @Flag(
        name: .customLong("keep-trailing-newline"),
        help: "Keep a final newline read with --from-file (by default one trailing newline is dropped).")
    var keepTrailingNewline = false

    /// Whether any source was given.
    var isGiven: Bool { fromFile != nil || fromLiteral != nil }

    func validate() throws {
        if fromFile != nil && fromLiteral != nil {
            throw ValidationError("give the value with either --from-file or --from-literal, not both")
        }
    }

    /// Reads the value from the source given, or returns nil when none was.
    func readValue() throws -> SecretValue? {
        if let fromFile {
            return try SecretValue.read(fromPath: fromFile, keepTrailingNewline: keepTrailingNewline)
        }
        if let fromLiteral {
            CommandLineLog.logger.warning(
                "--from-literal exposes the value in the process list and shell history; prefer --from-file")
            return SecretValue(fromLiteral)
        }
        return nil
    }
}
