import Foundation

/// Remembers, for one second, which principal a token belongs to and which roles a principal holds, so a
/// request costs one database lookup (the secret) instead of three.
///
/// Changes made through this store clear it at once. A token revoked or a role changed by another process
/// (the `jobrunner auth` commands while `serve` runs) takes effect within ``lifetime``.
final class AccessCache: @unchecked Sendable {
    /// How long an entry is trusted; the bound on how late another process's revocation applies.
    static let lifetime = Duration.seconds(1)

    // Guarded by `lock`.
    private let lock = NSLock()
    private var principals: [String: (principal: Principal, expiry: ContinuousClock.Instant)] = [:]
    private var grants: [String: (grants: RoleGrants, expiry: ContinuousClock.Instant)] = [:]
    private static let maximumEntries = 10_000

    /// The principal of `token` if it was authenticated less than ``lifetime`` ago.
    func principal(forToken token: String) -> Principal? {
        lock.withLock {
            guard let entry = principals[token], ContinuousClock.now < entry.expiry else { return nil }
            return entry.principal
        }
    }

    func remember(_ principal: Principal, forToken token: String) {
        lock.withLock {
            if principals.count >= Self.maximumEntries { principals.removeAll() }
            principals[token] = (principal, ContinuousClock.now + Self.lifetime)
        }
    }

    /// The grants of `name` if they were read less than ``lifetime`` ago.
    func grants(of name: String) -> RoleGrants? {
        lock.withLock {
            guard let entry = grants[name], ContinuousClock.now < entry.expiry else { return nil }
            return entry.grants
        }
    }

    func remember(_ roleGrants: RoleGrants, of name: String) {
        lock.withLock {
            if grants.count >= Self.maximumEntries { grants.removeAll() }
            grants[name] = (roleGrants, ContinuousClock.now + Self.lifetime)
        }
    }

    /// Forgets everything, after a token or role changed through this store.
    func clear() {
        lock.withLock {
            principals.removeAll()
            grants.removeAll()
        }
    }
}
