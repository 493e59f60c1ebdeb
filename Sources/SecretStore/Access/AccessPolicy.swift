/// The seed's access table, applied to a caller: deny by default.
///
/// A user acts with their own grants. A service acts with the grants of the user it names in
/// `X-NMP-Principal-On-Behalf-Of` (or its own grants when it names none), and reads values only on behalf of a
/// user who holds at least Viewer in the secret's workspace, so a job cannot pull another workspace's secret
/// unless its owner belongs there. A principal with no role in a workspace is refused alike whether or not a
/// secret or the workspace exists, so refusals reveal nothing.
public enum AccessPolicy {
    /// Throws ``AccessDenial/forbidden(_:)`` unless `caller` may do `action` in `workspace`.
    ///
    /// `grants` looks up a principal's role grants by name.
    public static func authorize(
        _ caller: Caller, _ action: SecretAction, in workspace: String?, grants: (String) throws -> RoleGrants
    ) throws {
        switch caller {
        case .unrestricted:
            return
        case let .principal(principal, onBehalfOf):
            if principal.isService, let user = onBehalfOf {
                let userGrants = try grants(user)
                let allowed: Bool
                if action == .access, let workspace {
                    allowed = userGrants.isPlatformAdmin || userGrants.workspaceRoles[workspace] != nil
                } else {
                    allowed = userGrants.allow(action, in: workspace)
                }
                if !allowed {
                    throw AccessDenial.forbidden(
                        "Forbidden: service '\(principal.name)' acting for '\(user)' may not \(action.phrase)"
                            + (workspace.map { " in workspace '\($0)'" } ?? "") + ": '\(user)' \(requirement(action))")
                }
                return
            }
            if principal.isService && action == .access {
                throw AccessDenial.forbidden(
                    "Forbidden: service '\(principal.name)' reads secret values only on behalf of a user; "
                        + "send the user in X-NMP-Principal-On-Behalf-Of")
            }
            if try !grants(principal.name).allow(action, in: workspace) {
                throw AccessDenial.forbidden(
                    "Forbidden: '\(principal.name)' may not \(action.phrase)"
                        + (workspace.map { " in workspace '\($0)'" } ?? "") + ": \(requirement(action))")
            }
        }
    }

    private static func requirement(_ action: SecretAction) -> String {
        switch action {
        case .list, .retrieve: return "needs a role (Viewer or above) there"
        case .create, .update, .delete: return "needs Editor or Admin there"
        case .access: return "only a Platform Admin, or a service on behalf of a member of the workspace, reads values"
        case .rotate: return "needs Platform Admin"
        }
    }
}
