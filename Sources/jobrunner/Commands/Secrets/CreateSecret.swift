import ArgumentParser
import SecretStore

/// `jobrunner secrets create REF`: stores a new secret.
struct CreateSecret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Store a new secret.",
        discussion: """
            Examples:
              printf %s "$HF_TOKEN" | jobrunner secrets create hf-token --from-file -
              jobrunner secrets create team-a/wandb-key --from-file ~/.wandb-key --description "W&B key"
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The secret, as workspace/name or name (default workspace).", valueName: "ref"))
    var reference: String

    @OptionGroup var value: ValueOptions

    @Option(help: ArgumentHelp("A note for people: what the secret is for, who owns it.", valueName: "text"))
    var description: String?

    @Option(help: "Print the new secret's metadata as a table or as the API's JSON.")
    var output: OutputFormat = .table

    func validate() throws {
        if !value.isGiven {
            throw ValidationError("give the value with --from-file PATH, --from-file - (standard input) or --from-literal VALUE")
        }
    }

    func run() throws {
        let reference = try SecretReference(parsing: reference)
        let secretStore = try store.openStore()
        guard let secret = try value.readValue() else { return }
        let metadata = try secretStore.createSecret(reference, value: secret, description: description)
        try Printer.print(metadata, as: output, table: { "Created secret \($0.reference)" })
    }
}
