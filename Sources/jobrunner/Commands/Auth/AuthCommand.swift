import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth …`: tokens and roles for the HTTP API.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Issue and revoke API tokens, and grant roles (Viewer, Editor, Admin, PlatformAdmin).",
        discussion: """
            Viewer lists secrets and reads metadata; Editor and Admin also create, update and delete; only \
            PlatformAdmin reads values and rotates keys. A service principal (--service, e.g. the job runner) \
            reads a value only on behalf of a user who holds a role in the secret's workspace.
            """,
        subcommands: [TokenCommand.self, GrantRole.self, RevokeRole.self, ListPrincipals.self])
}

/// `jobrunner auth token create|revoke`.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create or revoke bearer tokens.",
        subcommands: [CreateToken.self, RevokeTokens.self])
}

/// `jobrunner auth token create --principal NAME [--service]`.
struct CreateToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token for a principal and print it once (only its hash is stored).")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Who the token identifies, e.g. alice or service:jobs.", valueName: "name"))
    var principal: String

    @Flag(help: "The principal is a platform service (reads values only on behalf of a user).")
    var service = false

    func run() throws {
        let token = try store.openStore().createToken(for: principal, isService: service)
        token.withUnsafeBytes { FileHandle.standardOutput.write(Data($0) + Data("\n".utf8)) }
        if isatty(STDERR_FILENO) == 1 {
            FileHandle.standardError.write(Data("Store this token now: it cannot be shown again.\n".utf8))
        }
    }
}

/// `jobrunner auth token revoke --principal NAME`.
struct RevokeTokens: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke every token of a principal.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The principal whose tokens stop working now.", valueName: "name"))
    var principal: String

    func run() throws {
        let count = try store.openStore().revokeTokens(of: principal)
        print("Revoked \(count) token\(count == 1 ? "" : "s") of \(principal)")
    }
}

/// `jobrunner auth grant NAME ROLE [--workspace WS]`.
struct GrantRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Give a principal a role in a workspace, or PlatformAdmin everywhere.",
        discussion: "Examples: jobrunner auth grant alice Editor --workspace team-a; jobrunner auth grant ops PlatformAdmin")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The principal.", valueName: "name"))
    var principal: String

    @Argument(help: ArgumentHelp("Viewer, Editor, Admin or PlatformAdmin.", valueName: "role"))
    var role: String

    @Option(help: ArgumentHelp("The workspace (not for PlatformAdmin).", valueName: "ws"))
    var workspace: String?

    func run() throws {
        guard let parsed = Role(parsing: role) else {
            throw ValidationError("unknown role '\(role)'; use Viewer, Editor, Admin or PlatformAdmin")
        }
        try store.openStore().grant(parsed, to: principal, in: try workspace.map(WorkspaceName.init))
        print("Granted \(parsed.rawValue) to \(principal)" + (workspace.map { " in workspace \($0)" } ?? " on the whole platform"))
    }
}

/// `jobrunner auth revoke NAME (--workspace WS | --platform-admin)`.
struct RevokeRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Take away the role a principal holds in a workspace, or PlatformAdmin.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The principal.", valueName: "name"))
    var principal: String

    @Option(help: ArgumentHelp("The workspace whose role is removed.", valueName: "ws"))
    var workspace: String?

    @Flag(name: .customLong("platform-admin"), help: "Remove the PlatformAdmin role instead.")
    var platformAdmin = false

    func validate() throws {
        if (workspace == nil) == !platformAdmin {
            throw ValidationError("give either --workspace WS or --platform-admin")
        }
    }

    func run() throws {
        try store.openStore().revokeRole(of: principal, in: try workspace.map(WorkspaceName.init))
        print("Revoked the role of \(principal)" + (workspace.map { " in workspace \($0)" } ?? " as PlatformAdmin"))
    }
}

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
