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
