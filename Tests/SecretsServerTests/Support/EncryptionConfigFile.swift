import Foundation

/// A random 32-byte `secret_key` provider key, base64 as a config file holds it.
func randomKey() -> String {
    var generator = SystemRandomNumberGenerator()
    return Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
}

/// Writes a config file whose `secrets.encryption` section declares `providers` (name, base64 key) inline, with
/// `current` wrapping new data keys: how an operator sets up, and later rotates, the store's keys.
func writeEncryptionConfig(_ path: String, current: String, _ providers: [(name: String, key: String)]) throws {
    var yaml = "secrets:\n  encryption:\n    current_provider: \(current)\n    providers:\n      secret_key:\n"
    for (name, key) in providers { yaml += "        \(name): { value: \"\(key)\" }\n" }
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
}
