@preconcurrency import Crypto
import Foundation
import Testing

@testable import SecretStore

/// The stack-buffer HMAC-SHA256 that derives wrapping keys gives exactly swift-crypto's `HMAC<SHA256>`.
struct HMACSHA256Tests {
    @Test(arguments: [0, 1, 16, 32, 63, 64, 65, 100, 200])
    func matchesSwiftCryptoForKeysOfEveryLength(keyLength: Int) {
        for messageLength in [0, 1, 32, 55, 56, 64, 1000] {
            let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255) }
            let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255) }
            var code = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
            key.withUnsafeBytes { key in
                message.withUnsafeBytes { message in
                    code.withUnsafeMutableBytes { HMACSHA256.authenticate(message, key: key, into: $0) }
                }
            }
            let expected = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            #expect(code == Array(expected), "key \(keyLength) bytes, message \(messageLength) bytes")
        }
    }

    @Test func rfc4231TestCase2() {
        // Key "Jefe", data "what do ya want for nothing?".
        var code = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        Array("Jefe".utf8).withUnsafeBytes { key in
            Array("what do ya want for nothing?".utf8).withUnsafeBytes { message in
                code.withUnsafeMutableBytes { HMACSHA256.authenticate(message, key: key, into: $0) }
            }
        }
        let hex = code.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
