import ArgumentParser
import SecretStore

/// `jobrunner secrets get REF`: a secret's metadata, never its value.
struct GetSecret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show a secret's metadata (never its value; see 'secrets access').")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The secret, as workspace/name or name.", valueName: "ref"))
    var reference: String

    @Option(help: "Print a table, or the API's JSON object.")
    var output: OutputFormat = .table

    func run() throws {
        let reference = try SecretReference(parsing: reference)
        let metadata = try store.openStore().secretMetadata(reference)
        try Printer.print(metadata, as: output, table: Printer.describe)
    }
}
