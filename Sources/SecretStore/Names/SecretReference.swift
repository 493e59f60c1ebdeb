/// A pointer to one secret as other resources store it: `workspace/secret_name`, or a bare `secret_name`
/// that takes the referring resource's workspace.
public struct SecretReference: Hashable, Sendable, CustomStringConvertible {
    /// The workspace that holds the secret.
    public let workspace: WorkspaceName
    /// The secret's name within the workspace.
    public let name: SecretName

    /// A reference to `name` in `workspace`.
    public init(workspace: WorkspaceName, name: SecretName) {
        self.workspace = workspace
        self.name = name
    }

    /// Parses `workspace/name` or a bare `name`, which takes `defaultWorkspace`.
    public init(parsing text: String, defaultWorkspace: WorkspaceName = .default) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            self.init(workspace: defaultWorkspace, name: try SecretName(text))
        case 2:
            do {
                self.init(workspace: try WorkspaceName(String(parts[0])), name: try SecretName(String(parts[1])))
            } catch let error as SecretStoreError {
                throw SecretStoreError.invalidReference(reference: text, reason: error.reasonForReference)
            }
        default:
            throw SecretStoreError.invalidReference(
                reference: text,
                reason: "it has \(parts.count - 1) '/' separators; write workspace/secret_name or secret_name"
            )
        }
    }

    /// The canonical `workspace/name` form, also the associated data that binds a ciphertext to this secret.
    public var description: String { "\(workspace.rawValue)/\(name.rawValue)" }
}
