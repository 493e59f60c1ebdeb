import Foundation
import Testing

@testable import SecretStore

/// A `SecretValue` never shows its plaintext unless asked by name, and enforces the store's value rules.
struct SecretValueTests {
    let plaintext = "hf_SuperSecretToken_6d1f0c"

    @Test func printingDumpingAndInterpolatingShowNothing() {
        let value = SecretValue(plaintext)
        var dumped = ""
        dump(value, to: &dumped)
        let renderings = [
            value.description, value.debugDescription, "\(value)", String(describing: value),
            String(reflecting: value), dumped, "\([value])", "\(Optional(value) as Any)",
        ]
        for rendering in renderings {
            #expect(!rendering.contains(plaintext), "leaked in: \(rendering)")
            #expect(!rendering.contains("hf_"), "leaked a prefix in: \(rendering)")
        }
        #expect(Mirror(reflecting: value).children.isEmpty)
    }

    @Test func explicitAccessorsReturnTheExactBytes() {
        let value = SecretValue("ключ\n🔑\t\"q\"")
        #expect(value.revealedString() == "ключ\n🔑\t\"q\"")
        #expect(value.revealedBytes() == Array("ключ\n🔑\t\"q\"".utf8))
        #expect(value.count == "ключ\n🔑\t\"q\"".utf8.count)
    }

    @Test func emptyValuesAreRejected() {
        #expect(throws: SecretStoreError.self) { try SecretValue("").validateForStorage() }
    }

    @Test func sixtyFourKibibytesIsTheLimit() throws {
        try SecretValue(String(repeating: "v", count: 64 * 1024)).validateForStorage()
        do {
            try SecretValue(String(repeating: "v", count: 64 * 1024 + 1)).validateForStorage()
            Issue.record("accepted 64 KiB + 1")
        } catch let error as SecretStoreError {
            #expect(error.description.contains("65537 bytes"))
            #expect(error.description.contains("65536"))
        }
    }

    @Test func binaryThatIsNotUTF8IsRejectedWithAHint() {
        do {
            try SecretValue(bytes: [0xff, 0xfe, 0x00]).validateForStorage()
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect("\(error)".contains("base64"))
        }
    }

    @Test func constantTimeComparison() {
        #expect(SecretValue("abc").constantTimeEquals(SecretValue("abc")))
        #expect(!SecretValue("abc").constantTimeEquals(SecretValue("abd")))
        #expect(!SecretValue("abc").constantTimeEquals(SecretValue("abcd")))
    }

    @Test func readingAFileDropsOneTrailingNewlineUnlessAskedToKeepIt() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("token")
        try Data("line1\nline2\n\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SecretValue.read(fromPath: path).revealedString() == "line1\nline2\n")
        #expect(try SecretValue.read(fromPath: path, keepTrailingNewline: true).revealedString() == "line1\nline2\n\n")

        try Data("crlf\r\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SecretValue.read(fromPath: path).revealedString() == "crlf")
    }

    @Test func readingAFileOverTheLimitStopsEarlyWithAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("big")
        try Data(repeating: 0x61, count: 1_000_000).write(to: URL(fileURLWithPath: path))
        #expect(throws: SecretStoreError.self) { try SecretValue.read(fromPath: path) }
        #expect(throws: SecretStoreError.self) { try SecretValue.read(fromPath: directory.file("missing")) }
    }
}
