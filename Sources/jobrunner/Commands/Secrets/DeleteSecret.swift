import ArgumentParser
import SecretStore

/// `jobrunner secrets delete REF`: removes a secret for good.
struct DeleteSecret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a secret and its encrypted value.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The secret, as workspace/name or name.", valueName: "ref"))
    var reference: String

    func run() throws {
        let reference = try SecretReference(parsing: reference)
        try store.openStore().deleteSecret(reference)
        print("Deleted secret \(reference)")
    }
}
