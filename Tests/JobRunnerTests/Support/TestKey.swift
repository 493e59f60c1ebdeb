// Crypto is only needed to hand raw key bytes to the library (`SymmetricKey`); SecretStore depends on it.
@preconcurrency import Crypto
import Foundation
import SecretStore

/// A `secret_key` provider's key for a test: random bytes, their base64 for YAML, and the library's provider.
///
/// The config file gets the base64 text and the in-process store gets the raw bytes, so the binary's config
/// parsing is checked against an independent source of the same key.
struct TestKey: Sendable {
    /// The provider name, e.g. `v1`.
    let name: String
    /// The key bytes.
    let bytes: [UInt8]

    /// A fresh random key of `byteCount` bytes (32 unless a test wants a short or long one).
    init(name: String, byteCount: Int = 32) {
        var generator = SystemRandomNumberGenerator()
        self.name = name
        self.bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The key as the config file's `value:` holds it.
    var base64: String { Data(bytes).base64EncodedString() }

    /// The library's provider for this key, as the binary should build it from the config.
    func provider() throws -> SecretKeyProvider {
        try SecretKeyProvider(name: name, keyMaterial: SymmetricKey(data: bytes))
    }
}

/// The `secrets.encryption` section of a config file, in the shape.
struct EncryptionConfig: Sendable {
    /// Where one provider's key comes from.
    enum Source: Sendable {
        /// `{ value: "<base64>" }`
        case value(String)
        /// `{ from_env: VARIABLE }`
        case fromEnvironment(String)
    }

    /// `current_provider`.
    var current: String
    /// `providers.secret_key`, in file order.
    var providers: [(name: String, source: Source)]

    /// A config whose providers are `keys` given inline, the current one being `current`.
    static func inline(current: String, _ keys: [TestKey]) -> EncryptionConfig {
        EncryptionConfig(current: current, providers: keys.map { ($0.name, .value($0.base64)) })
    }

    /// The YAML text.
    var yaml: String {
        var text = """
            secrets:
              encryption:
                current_provider: \(current)
                providers:
                  secret_key:

            """
        for (name, source) in providers {
            switch source {
            case let .value(base64): text += "        \(name): { value: \"\(base64)\" }\n"
            case let .fromEnvironment(variable): text += "        \(name): { from_env: \(variable) }\n"
            }
        }
        return text
    }
}

/// Random lowercase hex text: distinctive values that cannot occur by chance in a database page or a message.
func randomHex(_ count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = Array("0123456789abcdef")
    return String((0..<count).map { _ in digits[Int.random(in: 0..<16, using: &generator)] })
}
