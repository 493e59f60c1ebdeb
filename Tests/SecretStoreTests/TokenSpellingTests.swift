import Foundation
import Testing

@testable import SecretStore

/// A bearer token is accepted only in the exact spelling it was issued in: the last base64url character carries
/// two unused bits, and the texts that differ only there must not authenticate.
struct TokenSpellingTests {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func onlyTheIssuedSpellingAuthenticates() throws {
        let directory = try TemporaryDirectory()
        let store = try makeStore(in: directory, current: makeProvider("v1"))
        for _ in 0..<8 {
            let token = try #require(store.createToken(for: "alice", isService: false).revealedString())
            #expect(try store.authenticate(bearerToken: token).name == "alice")
            let last = try #require(Self.alphabet.firstIndex(of: token.last!))
            for unusedBits in 1...3 {
                let variant = String(token.dropLast()) + String(Self.alphabet[last ^ unusedBits])
                #expect(throws: AccessDenial.self, "spelling with unused bits \(unusedBits)") {
                    try store.authenticate(bearerToken: variant)
                }
            }
        }
    }
}
