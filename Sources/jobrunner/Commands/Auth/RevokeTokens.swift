import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth token revoke --principal NAME`.
struct RevokeTokens: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke every token of a principal.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The principal whose tokens stop working now.", valueName: "name"))
    var principal: String

    func run() throws {
        let count = try store.openStore().revokeTokens(of: principal)
        print("Revoked \(count) token\(count == 1 ? "" : "s") of \(principal)")
    }
}
