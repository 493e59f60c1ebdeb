/// Someone or something that calls the secrets service: a user, or a platform service such as the job runner.
public struct Principal: Hashable, Sendable, Codable {
    /// The name role bindings refer to, e.g. `alice` or `service:jobs`.
    public let name: String
    /// Whether this is a platform service, which reads values only on behalf of a user.
    public let isService: Bool

    /// A principal with a validated name.
    public init(name: String, isService: Bool) throws {
        try Self.validate(name)
        self.name = name
        self.isService = isService
    }

    /// Principal names: 1 to 255 ASCII letters, digits and `. _ - @ : +` (emails and `service:x` ids fit).
    public static func validate(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@:+".unicodeScalars)
        guard !name.isEmpty, name.unicodeScalars.count <= 255, name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw SecretStoreError.invalidName(
                kind: "principal name", name: name,
                reason: "use 1 to 255 ASCII letters, digits, '.', '_', '-', '@', ':' or '+'")
        }
    }
}

/// The roles one principal holds: Platform Admin, and a role per workspace.
public struct RoleGrants: Sendable, Equatable {
    /// Whether the principal is a Platform Admin.
    public var isPlatformAdmin: Bool
    /// The role held in each workspace, by workspace name.
    public var workspaceRoles: [String: Role]

    /// Grants with nothing in them: deny by default.
    public static let none = RoleGrants(isPlatformAdmin: false, workspaceRoles: [:])

    /// Grants as given.
    public init(isPlatformAdmin: Bool, workspaceRoles: [String: Role]) {
        self.isPlatformAdmin = isPlatformAdmin
        self.workspaceRoles = workspaceRoles
    }

    /// Whether these grants allow `action` in `workspace` (nil for actions on no workspace, i.e. rotation).
    public func allow(_ action: SecretAction, in workspace: String?) -> Bool {
        if isPlatformAdmin { return true }
        guard let workspace, let role = workspaceRoles[workspace] else { return false }
        switch action {
        case .list, .retrieve: return true
        case .create, .update, .delete: return role.canWrite
        case .access, .rotate: return false
        }
    }
}
