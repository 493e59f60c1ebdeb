@preconcurrency import Crypto
import Foundation

/// A bearer token: `jrt_<selector, 24 hex>_<verifier, base64url>`: 96 random bits to find the row and 256 to
/// prove possession.
///
/// Only the selector and SHA-256 of the verifier are stored, so the database cannot be used to log in; the
/// verifier is compared in constant time, so response timing says nothing about how close a guess was.
struct AccessToken {
    static let prefix = "jrt_"
    let selector: String
    let verifier: Data

    /// A fresh random token.
    static func generate() -> AccessToken {
        AccessToken(selector: randomBytes(12).map { String(format: "%02x", $0) }.joined(), verifier: Data(randomBytes(32)))
    }

    /// Splits a presented token into its parts, or nil when it does not have the token's shape.
    init?(parsing text: String) {
        guard text.hasPrefix(Self.prefix), text.utf8.count < 200 else { return nil }
        let body = text.utf8.dropFirst(Self.prefix.utf8.count)
        let selector = body.prefix(24)
        let rest = body.dropFirst(24)
        guard selector.count == 24, selector.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
            rest.first == UInt8(ascii: "_"),
            let verifier = Self.decodeBase64URL(String(decoding: rest.dropFirst(), as: UTF8.self)), verifier.count == 32,
            // Only the canonical spelling: the last of 43 base64url characters carries 2 unused bits, so without
            // this check four different texts would be accepted as the same token.
            Self.base64URL(Array(verifier)).utf8.elementsEqual(rest.dropFirst())
        else { return nil }
        self.init(selector: String(decoding: selector, as: UTF8.self), verifier: verifier)
    }

    private init(selector: String, verifier: Data) {
        self.selector = selector
        self.verifier = verifier
    }

    /// The token as the caller presents it.
    var text: String { Self.prefix + selector + "_" + Self.base64URL(Array(verifier)) }

    /// What the database keeps instead of the verifier.
    var verifierHash: Data { Data(SHA256.hash(data: verifier)) }

    /// Compares a stored hash with this token's in time independent of where they differ.
    func matches(storedHash: Data) -> Bool {
        let presented = verifierHash
        guard presented.count == storedHash.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(presented, storedHash) { difference |= left ^ right }
        return difference == 0
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decodeBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
