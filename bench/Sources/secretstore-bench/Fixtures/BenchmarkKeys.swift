import Crypto
import SecretStore

/// The two key providers of a rotation, `v1` before and `v2` after, with fresh random key material per run.
struct BenchmarkKeys {
    /// The provider that wraps every secret when it is created.
    let v1: SecretKeyProvider
    /// The provider the rotation moves every secret to.
    let v2: SecretKeyProvider

    init() throws {
        v1 = try SecretKeyProvider(name: "v1", keyMaterial: SymmetricKey(size: .bits256))
        v2 = try SecretKeyProvider(name: "v2", keyMaterial: SymmetricKey(size: .bits256))
    }

    /// The ring secrets are created under: `v1` only.
    var beforeRotation: KeyRing { KeyRing(current: v1) }

    /// The ring a rotation runs with: `v2` current, `v1` still able to unwrap what it wrapped.
    var duringRotation: KeyRing { KeyRing(current: v2, others: [v1]) }

    /// The ring once the rotation has finished: `v2` alone, which proves no row still needs `v1`.
    var afterRotation: KeyRing { KeyRing(current: v2) }
}
