import ArgumentParser
import Foundation
import SecretStore

/// Turns any error into one line on standard error and the exit code scripts rely on.
///
/// 0 success, 1 internal or decryption failure, 2 invalid input or usage, 3 not found, 5 conflict.
struct CommandLineFailure: Error {
    /// What ArgumentParser should do with the error: print help, or our one-line message and code.
    let replacement: Error

    init(_ error: Error, command: any ParsableCommand.Type) {
        switch error {
        case let error as SecretStoreError:
            replacement = Self.report(error.description, code: Self.exitCode(for: error.category))
        case let error as ExitCode:
            replacement = error
        case let error as CommandError:
            replacement = Self.report(error.message, code: error.exitCode)
        default:
            let code = command.exitCode(for: error)
            if code == .success {
                replacement = error  // --help, --version: ArgumentParser prints them.
            } else if code == .validationFailure {
                let message = command.message(for: error).split(separator: "\n").joined(separator: "; ")
                replacement = Self.report("\(message) (see '\(Self.helpCommand(for: command))')", code: 2)
            } else {
                replacement = Self.report(command.message(for: error), code: 1)
            }
        }
    }

    /// `jobrunner secrets create --help` for the deepest subcommand named on the command line.
    private static func helpCommand(for root: any ParsableCommand.Type) -> String {
        var path = [root.configuration.commandName ?? "jobrunner"]
        var current: any ParsableCommand.Type = root
        for argument in CommandLine.arguments.dropFirst() where !argument.hasPrefix("-") {
            guard
                let next = current.configuration.subcommands.first(where: {
                    $0.configuration.commandName == argument
                })
            else { continue }
            path.append(argument)
            current = next
        }
        return path.joined(separator: " ") + " --help"
    }

    static func exitCode(for category: SecretStoreErrorCategory) -> Int32 {
        switch category {
        case .invalidInput: return 2
        case .notFound: return 3
        case .conflict: return 5
        case .internalFailure: return 1
        }
    }

    private static func report(_ message: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(code)
    }
}
