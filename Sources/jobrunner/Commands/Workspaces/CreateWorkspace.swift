import ArgumentParser
import SecretStore

/// `jobrunner workspaces create WS`.
struct CreateWorkspace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an empty workspace.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The new workspace's name.", valueName: "ws"))
    var workspace: String

    func run() throws {
        let name = try WorkspaceName(workspace)
        try store.openStore().createWorkspace(name)
        print("Created workspace \(name)")
    }
}
