import ArgumentParser
import SecretStore

/// `jobrunner workspaces delete WS`.
struct DeleteWorkspace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete an empty workspace (never 'default').")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The workspace to delete; it must hold no secrets.", valueName: "ws"))
    var workspace: String

    func run() throws {
        let name = try WorkspaceName(workspace)
        try store.openStore().deleteWorkspace(name)
        print("Deleted workspace \(name)")
    }
}
