import SecretStore

/// Resolves references from the local store, the embedded mode of `jobrunner run` and `exec`.
///
/// The store has no users to check, so the job's own workspace is the boundary: a reference to another workspace
/// is refused unless the operator passed `--allow-cross-workspace`.
public struct EmbeddedSecretResolver: SecretResolver {
    private let store: SecretStore
    private let jobWorkspace: WorkspaceName
    private let allowCrossWorkspace: Bool

    /// A resolver reading `store` for a job whose workspace is `jobWorkspace`.
    public init(store: SecretStore, jobWorkspace: WorkspaceName, allowCrossWorkspace: Bool) {
        self.store = store
        self.jobWorkspace = jobWorkspace
        self.allowCrossWorkspace = allowCrossWorkspace
    }

    /// The embedded store acts as the platform service itself.
    public var principalDescription: String { "embedded-store" }

    /// Reads and decrypts the value, mapping the store's errors onto resolution failures.
    public func resolve(_ reference: SecretReference) async -> Result<SecretValue, ResolutionFailure> {
        if reference.workspace != jobWorkspace && !allowCrossWorkspace {
            return .failure(
                .forbidden(
                    "the job's workspace is '\(jobWorkspace.rawValue)'; pass --allow-cross-workspace to let it read "
                        + "secrets of workspace '\(reference.workspace.rawValue)'"))
        }
        do {
            return .success(try store.accessSecret(reference))
        } catch let error as SecretStoreError {
            switch error {
            case .secretNotFound, .workspaceNotFound: return .failure(.notFound)
            case let .cannotDecrypt(_, reason): return .failure(.cannotDecrypt(reason))
            case .providerNotConfigured: return .failure(.cannotDecrypt(error.description))
            case let .storage(message): return .failure(.unreachable("the local store failed: \(message)"))
            default: return .failure(.unreachable(error.description))
            }
        } catch {
            return .failure(.cannotDecrypt(String(describing: error)))
        }
    }
}
