/// Everything the secret store can refuse or fail at, each with a message meant for the person who must fix it.
///
/// Messages name the secret, workspace, provider or setting at fault, and never contain a secret value.
public enum SecretStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A secret or workspace name breaks ``ResourceNameRule``.
    case invalidName(kind: String, name: String, reason: String)
    /// A `workspace/name` reference cannot be parsed.
    case invalidReference(reference: String, reason: String)
    /// A value is empty, too large or not text.
    case invalidValue(reason: String)
    /// A page number or size is out of range.
    case invalidPage(reason: String)
    /// No secret has this reference (its workspace may not exist either).
    case secretNotFound(SecretReference)
    /// The workspace does not exist.
    case workspaceNotFound(WorkspaceName)
    /// A secret cannot be created in a workspace that does not exist; an invalid request rather than a missing
    /// resource, as the reference service answers it (422).
    case workspaceMissingForNewSecret(WorkspaceName)
    /// A secret with this reference already exists.
    case secretAlreadyExists(SecretReference)
    /// A workspace with this name already exists.
    case workspaceAlreadyExists(WorkspaceName)
    /// The workspace still holds secrets, so it cannot be deleted.
    case workspaceNotEmpty(WorkspaceName, secretCount: Int)
    /// The `default` workspace is permanent.
    case defaultWorkspaceIsPermanent
    /// No principal has this name.
    case principalNotFound(String)
    /// The principal holds no role in this scope (a workspace, or `platform`).
    case roleBindingNotFound(principal: String, scope: String)
    /// A token was asked for a principal that exists as the other kind (user versus service).
    case principalKindConflict(String, existingIsService: Bool)
    /// A role was given with the wrong scope: PlatformAdmin with a workspace, or a workspace role without one.
    case invalidRoleScope(String)
    /// The encryption configuration is unusable; the message says which setting and why.
    case invalidConfiguration(String)
    /// A secret's data key was wrapped by a provider that is not in the configuration.
    case providerNotConfigured(SecretReference, provider: String)
    /// A secret's stored data failed authentication: corrupted, tampered, moved from another row, or the wrong key.
    case cannotDecrypt(SecretReference, reason: String)
    /// The database could not be opened, read or written.
    case storage(String)

    /// What kind of failure this is, so that edges map it to an exit code or HTTP status in one place.
    public var category: SecretStoreErrorCategory {
        switch self {
        case .invalidName, .invalidReference, .invalidValue, .invalidPage, .invalidConfiguration, .invalidRoleScope,
            .defaultWorkspaceIsPermanent, .workspaceMissingForNewSecret:
            return .invalidInput
        case .secretNotFound, .workspaceNotFound, .principalNotFound, .roleBindingNotFound:
            return .notFound
        case .secretAlreadyExists, .workspaceAlreadyExists, .workspaceNotEmpty, .principalKindConflict:
            return .conflict
        case .providerNotConfigured, .cannotDecrypt, .storage:
            return .internalFailure
        }
    }

    public var description: String {
        switch self {
        case let .invalidName(kind, name, reason):
            return "invalid \(kind) '\(name.escapedForDisplay)': \(reason). "
                + "Use 1 to \(ResourceNameRule.maximumLength) ASCII letters, digits, '.', '_' or '-', e.g. my-api-key"
        case let .invalidReference(reference, reason):
            return "invalid secret reference '\(reference.escapedForDisplay)': \(reason)"
        case let .invalidValue(reason):
            return "invalid secret value: \(reason)"
        case let .invalidPage(reason):
            return "invalid page request: \(reason)"
        case let .secretNotFound(reference):
            return "secret \(reference) not found"
        case let .workspaceNotFound(workspace):
            return "workspace '\(workspace)' does not exist; create it with 'jobrunner workspaces create \(workspace)'"
        case let .workspaceMissingForNewSecret(workspace):
            return "workspace '\(workspace)' does not exist; create it first with 'jobrunner workspaces create \(workspace)'"
        case let .secretAlreadyExists(reference):
            return "secret '\(reference)' already exists; use 'secrets update' to change it"
        case let .workspaceAlreadyExists(workspace):
            return "workspace '\(workspace)' already exists"
        case let .workspaceNotEmpty(workspace, count):
            return "workspace '\(workspace)' still holds \(count) secret\(count == 1 ? "" : "s"); delete them first"
        case let .principalNotFound(name):
            return "principal '\(name.escapedForDisplay)' not found; see 'jobrunner auth list'"
        case let .roleBindingNotFound(principal, scope):
            return "principal '\(principal.escapedForDisplay)' holds no role in \(scope)"
        case let .principalKindConflict(name, existingIsService):
            return "principal '\(name.escapedForDisplay)' already exists as a \(existingIsService ? "service" : "user"); "
                + (existingIsService ? "add --service" : "drop --service") + " or choose another name"
        case .defaultWorkspaceIsPermanent:
            return "the 'default' workspace always exists and cannot be deleted"
        case let .invalidRoleScope(message):
            return message
        case let .invalidConfiguration(message):
            return "encryption configuration: \(message)"
        case let .providerNotConfigured(reference, provider):
            return "secret \(reference) is encrypted under key provider '\(provider)', which is not configured; "
                + "add '\(provider)' under secrets.encryption.providers.secret_key (keep it until rotation completes)"
        case let .cannotDecrypt(reference, reason):
            return "secret \(reference) cannot be decrypted: \(reason)"
        case let .storage(message):
            return "secret database: \(message)"
        }
    }

    /// The part of a name error that still makes sense inside a message about a whole reference.
    var reasonForReference: String {
        if case let .invalidName(kind, name, reason) = self {
            return "\(kind) '\(name.escapedForDisplay)': \(reason)"
        }
        return description
    }
}

/// The broad classes of ``SecretStoreError``, one per exit code and HTTP status family.
public enum SecretStoreErrorCategory: Sendable {
    /// The caller asked for something malformed (exit 2, HTTP 422).
    case invalidInput
    /// The secret or workspace does not exist (exit 3, HTTP 404).
    case notFound
    /// The request clashes with what is stored (exit 5, HTTP 409).
    case conflict
    /// Crypto, configuration of stored rows, or the database failed (exit 1, HTTP 500).
    case internalFailure
}
