import ArgumentParser

/// `jobrunner admin …`: platform administrator operations.
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Platform administrator operations.",
        subcommands: [RotateEncryptionKeys.self])
}
