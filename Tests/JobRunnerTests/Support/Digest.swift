@preconcurrency import Crypto
import Foundation

/// The SHA-256 of `text`'s UTF-8 bytes in lower-case hex, as a child proves it saw a value without printing it.
func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
