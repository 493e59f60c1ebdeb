import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth revoke NAME (--workspace WS | --platform-admin)`.
struct RevokeRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Take away the role a principal holds in a workspace, or PlatformAdmin.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The principal.", valueName: "name"))
    var principal: String

    @Option(help: ArgumentHelp("The workspace whose role is removed.", valueName: "ws"))
    var workspace: String?

    @Flag(name: .customLong("platform-admin"), help: "Remove the PlatformAdmin role instead.")
    var platformAdmin = false

    func validate() throws {
        if (workspace == nil) == !platformAdmin {
            throw ValidationError("give either --workspace WS or --platform-admin")
        }
    }

    func run() throws {
        try store.openStore().revokeRole(of: principal, in: try workspace.map(WorkspaceName.init))
        print("Revoked the role of \(principal)" + (workspace.map { " in workspace \($0)" } ?? " as PlatformAdmin"))
    }
}
