import ArgumentParser

/// `jobrunner secrets …`: create, inspect, change and remove secrets.
struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Create, list, inspect, update, delete and access secrets.",
        discussion: """
            A secret is referenced as workspace/secret_name, or secret_name in the 'default' workspace. Names use \
            1 to 255 ASCII letters, digits, '.', '_' or '-'. Values are text of 1 byte to 64 KiB.
            """,
        subcommands: [
            CreateSecret.self, ListSecrets.self, GetSecret.self, UpdateSecret.self, DeleteSecret.self,
            AccessSecret.self,
        ]
    )
}
