@preconcurrency import Crypto
import Foundation
import Testing

@testable import SecretStore

/// The `secrets.encryption` section is read exactly as the reference platform writes it, and every mistake
/// gives a message naming the setting, without the key.
struct EncryptionConfigurationTests {
    let keyV1 = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    let keyV2 = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }

    func parse(_ yaml: String, environment: [String: String] = [:]) throws -> EncryptionConfiguration? {
        try EncryptionConfiguration.parse(yaml: yaml, source: "config.yaml", environment: environment)
    }

    func expectError(_ yaml: String, environment: [String: String] = [:], mentioning fragments: [String]) {
        do {
            _ = try parse(yaml, environment: environment)
            Issue.record("accepted: \(yaml)")
        } catch let error as SecretStoreError {
            #expect(error.category == .invalidInput)
            for fragment in fragments {
                #expect(error.description.contains(fragment), "'\(fragment)' not in: \(error)")
            }
            #expect(!error.description.contains(keyV1) && !error.description.contains(keyV2))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func readsTheReferenceShapeWithValueAndFromEnv() throws {
        let yaml = """
            other_service: { port: 9000 }
            secrets:
              encryption:
                current_provider: v2
                providers:
                  secret_key:
                    v1:
                      value: "\(keyV1)"
                    v2: { from_env: NEW_ENCRYPTION_KEY }
            """
        let configuration = try #require(try parse(yaml, environment: ["NEW_ENCRYPTION_KEY": keyV2 + "\n"]))
        #expect(configuration.keyRing.current.name == "v2")
        #expect(configuration.keyRing.providerNames == ["v1", "v2"])
        #expect(configuration.keyEnvironmentVariables == ["NEW_ENCRYPTION_KEY"])
        // The v1 provider really holds keyV1: what it wraps, a provider built from keyV1 unwraps.
        let wrapped = try configuration.keyRing.provider(named: "v1")!.wrap(SymmetricKey(size: .bits256))
        _ = try makeProvider("x", key: SymmetricKey(data: Data(base64Encoded: keyV1)!)).unwrap(wrapped)
    }

    @Test func readsKeysFromFiles() throws {
        let directory = TemporaryDirectory()
        try Data((keyV1 + "\n").utf8).write(to: URL(fileURLWithPath: directory.file("kek")))
        let yaml = """
            secrets: { encryption: { current_provider: v1, providers: { secret_key: { v1: { from_file: \(directory.file("kek")) } } } } }
            """
        #expect(try parse(yaml)?.keyRing.current.name == "v1")
    }

    @Test func acceptsLongerKeys() throws {
        let long = SymmetricKey(size: SymmetricKeySize(bitCount: 512)).withUnsafeBytes { Data($0).base64EncodedString() }
        #expect(try parse("secrets: { encryption: { current_provider: a, providers: { secret_key: { a: { value: \"\(long)\" } } } } }") != nil)
    }

    @Test func aFileWithoutTheSectionMeansNoConfiguration() throws {
        #expect(try parse("") == nil)
        #expect(try parse("logging: { level: info }") == nil)
        #expect(try parse("secrets: { other: 1 }") == nil)
        #expect(try parse("secrets:\n") == nil)
        #expect(try parse("secrets:\n  encryption:\n") == nil)
    }

    @Test func aMissingEnvironmentVariableIsNamed() {
        expectError(
            "secrets: { encryption: { current_provider: v2, providers: { secret_key: { v2: { from_env: NEW_KEY } } } } }",
            mentioning: ["NEW_KEY", "secrets.encryption.providers.secret_key.v2.from_env", "not set"])
    }

    @Test func badBase64IsNamed() {
        expectError(
            "secrets: { encryption: { current_provider: v1, providers: { secret_key: { v1: { value: \"not base64!!\" } } } } }",
            mentioning: ["secrets.encryption.providers.secret_key.v1", "not valid base64", "line 1"])
    }

    @Test func shortKeysAreRefusedWithTheirLength() {
        let short = Data(repeating: 7, count: 16).base64EncodedString()
        expectError(
            "secrets: { encryption: { current_provider: v1, providers: { secret_key: { v1: { value: \"\(short)\" } } } } }",
            mentioning: ["16 bytes", "at least 32"])
    }

    @Test func anUnknownCurrentProviderListsTheDeclaredOnes() {
        expectError(
            """
            secrets:
              encryption:
                current_provider: v3
                providers:
                  secret_key:
                    v1: { value: "\(keyV1)" }
                    v2: { value: "\(keyV2)" }
            """,
            mentioning: ["'v3'", "v1, v2", "line 3"])
    }

    @Test func aMissingCurrentProviderIsNamed() {
        expectError(
            "secrets: { encryption: { providers: { secret_key: { v1: { value: \"\(keyV1)\" } } } } }",
            mentioning: ["current_provider is missing", "v1"])
    }

    @Test func typosAndAmbiguitiesAreCaught() {
        expectError(
            "secrets: { encryption: { current_provider: v1, providers: { secret_key: { v1: { from_evn: X } } } } }",
            mentioning: ["from_evn"])
        expectError(
            "secrets: { encryption: { current_provider: v1, providers: { secret_key: { v1: { value: \"\(keyV1)\", from_env: X } } } } }",
            mentioning: ["exactly one"])
        expectError(
            "secrets: { encryption: { current_provider: v1, providers: { kms: { v1: { value: x } } } } }",
            mentioning: ["kms", "secret_key"])
        expectError("secrets: { encryption: { current_provider: v1 } }", mentioning: ["providers is missing"])
        expectError("secrets: { encryption: [1, 2] }", mentioning: ["secrets.encryption must be a mapping"])
        expectError("secrets: { encryption: { current_provider: v1 ", mentioning: ["not valid YAML"])
    }
}
