import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth grant NAME ROLE [--workspace WS]`.
struct GrantRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Give a principal a role in a workspace, or PlatformAdmin everywhere.",
        discussion: "Examples: jobrunner auth grant alice Editor --workspace team-a; jobrunner auth grant ops PlatformAdmin")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The principal.", valueName: "name"))
    var principal: String

    @Argument(help: ArgumentHelp("Viewer, Editor, Admin or PlatformAdmin.", valueName: "role"))
    var role: String

    @Option(help: ArgumentHelp("The workspace (not for PlatformAdmin).", valueName: "ws"))
    var workspace: String?

    func run() throws {
        guard let parsed = Role(parsing: role) else {
            throw ValidationError("unknown role '\(role)'; use Viewer, Editor, Admin or PlatformAdmin")
        }
        try store.openStore().grant(parsed, to: principal, in: try workspace.map(WorkspaceName.init))
        print("Granted \(parsed.rawValue) to \(principal)" + (workspace.map { " in workspace \($0)" } ?? " on the whole platform"))
    }
}
