import ArgumentParser
import SecretStore

/// `jobrunner secrets update REF`: replaces a value, a description, or both.
struct UpdateSecret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a secret's value, description, or both.",
        discussion: """
            A new value is encrypted under a fresh data key with the current key provider.
            Example: jobrunner secrets update hf-token --from-file - < new-token.txt
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The secret, as workspace/name or name.", valueName: "ref"))
    var reference: String

    @OptionGroup var value: ValueOptions

    @Option(help: ArgumentHelp("The new description; an empty string clears it.", valueName: "text"))
    var description: String?

    @Option(help: "Print the updated metadata as a table or as the API's JSON.")
    var output: OutputFormat = .table

    func validate() throws {
        if !value.isGiven && description == nil {
            throw ValidationError("nothing to update: give --from-file, --from-literal or --description")
        }
    }

    func run() throws {
        let reference = try SecretReference(parsing: reference)
        let secretStore = try store.openStore()
        let newValue = try value.readValue()
        let metadata = try secretStore.updateSecret(reference, value: newValue, description: description)
        try Printer.print(metadata, as: output, table: { "Updated secret \($0.reference)" })
    }
}
