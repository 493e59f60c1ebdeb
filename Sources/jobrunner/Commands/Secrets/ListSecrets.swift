import ArgumentParser
import SecretStore

/// `jobrunner secrets list`: one page of a workspace's secrets, newest first.
struct ListSecrets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the secrets of a workspace, newest first (metadata only).")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The workspace to list.", valueName: "ws"))
    var workspace: String = WorkspaceName.default.rawValue

    @Option(help: ArgumentHelp("The page to show, from 1.", valueName: "n"))
    var page: Int = 1

    @Option(name: .customLong("page-size"), help: ArgumentHelp("How many secrets a page holds.", valueName: "n"))
    var pageSize: Int = 10

    @Option(help: "Print a table, or the API's JSON list envelope.")
    var output: OutputFormat = .table

    func run() throws {
        let workspace = try WorkspaceName(workspace)
        let request = try PageRequest(page: page, pageSize: pageSize)
        let result = try store.openStore().listSecrets(in: workspace, page: request)
        try Printer.print(result, as: output) { result in
            let rows = result.data.map { [$0.name, $0.description ?? "", "\($0.createdAt)", "\($0.updatedAt)"] }
            let p = result.pagination
            let footer =
                p.totalResults == 0
                ? "No secrets in workspace '\(workspace)'."
                : "Page \(p.page) of \(p.totalPages), \(p.currentPageSize) of \(p.totalResults) secrets in '\(workspace)'."
            if rows.isEmpty { return footer }
            return Table(headers: ["NAME", "DESCRIPTION", "CREATED (UTC)", "UPDATED (UTC)"], rows: rows).rendered
                + "\n" + footer
        }
    }
}
