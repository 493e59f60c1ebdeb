@preconcurrency import Crypto
import Foundation

/// Seals and opens secret values under their own data encryption key, bound to the secret's identity.
///
/// The associated data is the secret's `workspace/name`, so a ciphertext copied to another row fails to open.
/// The stored form is `nonce(12) ‖ ciphertext ‖ tag(16)`.
enum EnvelopeCipher {
    /// A fresh random 256-bit data encryption key; one per secret and per value change.
    static func makeDataKey() -> SymmetricKey {
        SymmetricKey(size: .bits256)
    }

    /// Encrypts `value` for the secret `reference`.
    static func seal(_ value: SecretValue, for reference: SecretReference, dataKey: SymmetricKey) throws -> Data {
        let associatedData = Data(reference.description.utf8)
        let box = try value.withUnsafeBytes { plaintext in
            try AES.GCM.seal(plaintext, using: dataKey, authenticating: associatedData)
        }
        return box.combined!
    }

    /// Decrypts a value sealed by ``seal(_:for:dataKey:)`` for the same secret.
    static func open(_ sealed: Data, for reference: SecretReference, dataKey: SymmetricKey) throws -> SecretValue {
        let associatedData = Data(reference.description.utf8)
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            var plaintext = try AES.GCM.open(box, using: dataKey, authenticating: associatedData)
            defer { plaintext.wipe() }
            return SecretValue(bytes: plaintext)
        } catch {
            throw SecretStoreError.cannotDecrypt(
                reference,
                reason: "its ciphertext failed authentication (corrupted, tampered with, or copied from another secret)"
            )
        }
    }
}
