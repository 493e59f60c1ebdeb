import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth token create --principal NAME [--service]`.
struct CreateToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token for a principal and print it once (only its hash is stored).")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Who the token identifies, e.g. alice or service:jobs.", valueName: "name"))
    var principal: String

    @Flag(help: "The principal is a platform service (reads values only on behalf of a user).")
    var service = false

    func run() throws {
        let token = try store.openStore().createToken(for: principal, isService: service)
        token.withUnsafeBytes { FileHandle.standardOutput.write(Data($0) + Data("\n".utf8)) }
        if isatty(STDERR_FILENO) == 1 {
            FileHandle.standardError.write(Data("Store this token now: it cannot be shown again.\n".utf8))
        }
    }
}
