@preconcurrency import Crypto
import Foundation

/// Wraps and unwraps data encryption keys (DEKs) with a key-encryption key that never touches the database.
///
/// Each stored secret records the ``name`` of the provider that wrapped its DEK, so several providers can be
/// configured at once while a rotation moves every row to the current one.
public protocol KeyProvider: Sendable {
    /// The name under which the configuration declares this provider and rows record it, e.g. `v2`.
    var name: String { get }

    /// Seals `dataKey` so that only this provider can recover it.
    func wrap(_ dataKey: SymmetricKey) throws -> Data

    /// Recovers a key sealed by ``wrap(_:)``; throws ``KeyUnwrapError`` when the wrapped form fails authentication.
    func unwrap(_ wrapped: Data) throws -> SymmetricKey
}

/// Why a wrapped data key could not be recovered; the store turns it into a message naming the secret.
public struct KeyUnwrapError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, without any key material.
    public let reason: String

    public var description: String { reason }
}
