import ArgumentParser
import Foundation
import Injector
import SecretStore

#if canImport(Glibc)
    import Glibc
#endif

/// `jobrunner secrets access REF`: prints a value, as the platform admin the local operator is.
struct AccessSecret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Print a secret's value to standard output (the local operator acts as platform admin).",
        discussion: """
            The value is written exactly as stored, with a newline added only when standard output is a \
            terminal. Example: HF_TOKEN="$(jobrunner secrets access hf-token)" python3 train.py
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The secret, as workspace/name or name.", valueName: "ref"))
    var reference: String

    func run() throws {
        let reference = try SecretReference(parsing: reference)
        let value = try store.openStore().accessSecret(reference)
        value.withUnsafeBytes { DescriptorWriter.writeAll($0, to: STDOUT_FILENO) }
        if isatty(STDOUT_FILENO) == 1 { _ = write(STDOUT_FILENO, "\n", 1) }
    }
}
