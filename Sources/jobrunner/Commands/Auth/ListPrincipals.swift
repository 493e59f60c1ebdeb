import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth list`.
struct ListPrincipals: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List principals, their tokens and roles.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Print a table, or JSON: {\"data\": [{name, service, active_tokens, roles}]}.")
    var output: OutputFormat = .table

    func run() throws {
        let principals = try store.openStore().listPrincipals()
        try Printer.print(PrincipalList(data: principals), as: output) { list in
            Table(
                headers: ["PRINCIPAL", "KIND", "TOKENS", "ROLES"],
                rows: list.data.map { principal in
                    [
                        principal.name, principal.isService ? "service" : "user", "\(principal.activeTokens)",
                        principal.roles.map { ($0.workspace.map { "\($0):" } ?? "") + $0.role.rawValue }.joined(separator: ", "),
                    ]
                }
            ).rendered
        }
    }

    /// The JSON envelope.
    struct PrincipalList: Encodable {
        let data: [PrincipalSummary]
    }
}
