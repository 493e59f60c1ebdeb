import ArgumentParser
import SecretStore

/// `jobrunner workspaces …`: the containers secrets live in.
struct WorkspacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspaces",
        abstract: "Create, list and delete workspaces ('default' always exists).",
        subcommands: [CreateWorkspace.self, ListWorkspaces.self, DeleteWorkspace.self])
}

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

/// `jobrunner workspaces list`.
struct ListWorkspaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List workspaces with how many secrets each holds.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Print a table, or JSON: {\"data\": [{name, created_at, secret_count}]}.")
    var output: OutputFormat = .table

    func run() throws {
        let workspaces = try store.openStore().listWorkspaces()
        try Printer.print(WorkspaceList(data: workspaces), as: output) { list in
            Table(
                headers: ["NAME", "SECRETS", "CREATED (UTC)"],
                rows: list.data.map { [$0.name, "\($0.secretCount)", "\($0.createdAt)"] }
            ).rendered
        }
    }

    /// The JSON envelope, shaped like the API's lists.
    struct WorkspaceList: Encodable {
        let data: [WorkspaceSummary]
    }
}

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
