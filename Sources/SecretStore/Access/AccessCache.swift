import Foundation

/// Remembers, for one second, which principal a token belongs to and which roles a principal holds, so a
/// request costs one database lookup (the secret) instead of three.
///
/// Changes made through this store clear it at once. A token revoked or a role changed by another process
/// (the `jobrunner auth` commands while `serve` runs) takes effect within ``lifetime``.
final class AccessCache: Sendable {
    /// How long an entry is trusted; the bound on how late another process's revocation applies.
    static let lifetime = Duration.seconds(1)

    /// Principals by presented token.
    let principals = ExpiringCache<Principal>(lifetime: lifetime)
    /// Role grants by principal name.
    let grants = ExpiringCache<RoleGrants>(lifetime: lifetime)

    /// Forgets everything, after a token or role changed through this store.
    func clear() {
        principals.clear()
        grants.clear()
    }
}

/// A small thread-safe map whose entries expire; emptied whole when it reaches its capacity.
final class ExpiringCache<Value: Sendable>: @unchecked Sendable {
    private let lifetime: Duration
    private let capacity: Int
    // Guarded by `lock`.
    private let lock = NSLock()
    private var entries: [String: (value: Value, expiry: ContinuousClock.Instant)] = [:]

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The value stored for `key` less than the lifetime ago.
    func value(for key: String) -> Value? {
        lock.withLock {
            guard let entry = entries[key], ContinuousClock.now < entry.expiry else { return nil }
            return entry.value
        }
    }

    func remember(_ value: Value, for key: String) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = (value, ContinuousClock.now + lifetime)
        }
    }

    func clear() {
        lock.withLock { entries.removeAll() }
    }
}
