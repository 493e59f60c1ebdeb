import ArgumentParser
import SecretStore

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
