import ArgumentParser
import Foundation
import SecretStore

/// `jobrunner auth token create|revoke`.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create or revoke bearer tokens.",
        subcommands: [CreateToken.self, RevokeTokens.self])
}
