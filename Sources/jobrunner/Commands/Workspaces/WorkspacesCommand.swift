import ArgumentParser
import SecretStore

/// `jobrunner workspaces …`: the containers secrets live in.
struct WorkspacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspaces",
        abstract: "Create, list and delete workspaces ('default' always exists).",
        subcommands: [CreateWorkspace.self, ListWorkspaces.self, DeleteWorkspace.self])
}
