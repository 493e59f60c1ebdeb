import Foundation
import SecretStore
import Testing

/// Key rotation v1 → v2 of a thousand secrets through `jobrunner admin rotate-encryption-keys`, then v1 removed.
@Suite("Key rotation")
struct RotationTests {
    /// The scenario: rows under v1, v2 made current (its key from the environment, as the YAML
    /// shows), one rotation, v1 removed from the config, and every secret still reads back.
    @Test("rotate 1,000 secrets v1 → v2, remove v1, read them all")
    func rotateThousandSecrets() throws {
        let fixture = try V1SecretsFixture.shared()
        let v2 = TestKey(name: "v2")
        let sandbox = try Sandbox(
            config: EncryptionConfig(
                current: "v2", providers: [("v1", .value(fixture.v1.base64)), ("v2", .fromEnvironment("NEW_ENCRYPTION_KEY"))]))
        sandbox.environment["NEW_ENCRYPTION_KEY"] = v2.base64
        try fixture.install(into: sandbox)

        // Before rotating, v1 rows read under the mixed config, and a value changed now goes under v2.
        #expect(try sandbox.succeed(["secrets", "access", V1SecretsFixture.name(7)]).output == fixture.values[7])
        let updated = "updated-" + randomHex(16)
        try sandbox.succeed(["secrets", "update", V1SecretsFixture.name(8), "--from-file", "-"], stdin: Data(updated.utf8))
        try sandbox.succeed(["secrets", "create", "made-under-v2", "--from-literal", "new"])
        let mixedRing = KeyRing(current: try v2.provider(), others: [try fixture.v1.provider()])
        #expect(
            try sandbox.libraryStore(keyRing: mixedRing).secretCountsByProvider()
                == ["v1": V1SecretsFixture.count - 1, "v2": 2])

        let rotation = try sandbox.succeed(["admin", "rotate-encryption-keys", "--output", "json"])
        let report = try rotation.jsonObject()
        #expect(Set(report.keys) == ["rotated_secrets", "success"], "\(rotation)")
        #expect(report["rotated_secrets"] as? Int == V1SecretsFixture.count - 1, "the real count: \(rotation)")
        #expect(report["success"] as? Bool == true, "\(rotation)")
        #expect(rotation.errorOutput.contains("Completed rotation of encryption keys for all secrets"), "\(rotation)")

        // Idempotent: a second run finds nothing to do and says so.
        let again = try sandbox.succeed(["admin", "rotate-encryption-keys", "--output", "json"])
        #expect(try again.jsonObject()["rotated_secrets"] as? Int == 0, "\(again)")
        #expect(try again.jsonObject()["success"] as? Bool == true, "\(again)")
        let table = try sandbox.succeed(["admin", "rotate-encryption-keys"])
        #expect(!table.output.isEmpty, "\(table)")

        // v1 removed: a sample through the binary, then every secret through the library with a v2-only ring.
        try sandbox.writeConfig(EncryptionConfig(current: "v2", providers: [("v2", .fromEnvironment("NEW_ENCRYPTION_KEY"))]))
        for index in [0, 1, 8, 499, 500, 998, V1SecretsFixture.count - 1] {
            let expected = index == 8 ? updated : fixture.values[index]
            #expect(try sandbox.succeed(["secrets", "access", V1SecretsFixture.name(index)]).output == expected)
        }
        #expect(try sandbox.succeed(["secrets", "access", "made-under-v2"]).output == "new")

        let v2Only = try sandbox.libraryStore(keyRing: KeyRing(current: try v2.provider()))
        #expect(try v2Only.secretCountsByProvider() == ["v2": V1SecretsFixture.count + 1])
        var mismatches: [String] = []
        for (index, value) in fixture.values.enumerated() {
            let expected = index == 8 ? updated : value
            let read = try v2Only.accessSecret(SecretReference(parsing: V1SecretsFixture.name(index))).revealedString()
            if read != expected { mismatches.append(V1SecretsFixture.name(index)) }
        }
        #expect(mismatches.isEmpty, "wrong values after rotation: \(mismatches.prefix(10))")
    }

    /// A value updated while a rotation runs must keep the new value: the rotation may not overwrite the row's
    /// fresh data key with a re-wrapped copy of the old one.
    @Test("values updated by another process during a rotation are not lost")
    func updatesDuringRotation() throws {
        let fixture = try V1SecretsFixture.shared()
        let v2 = TestKey(name: "v2")
        let sandbox = try Sandbox(config: .inline(current: "v2", [fixture.v1, v2]))
        try fixture.install(into: sandbox)
        let observer = try sandbox.libraryStore(keyRing: KeyRing(current: try v2.provider(), others: [try fixture.v1.provider()]))

        // Row by row, so the updates below interleave with it.
        let rotation = try sandbox.start(["admin", "rotate-encryption-keys", "--batch-size", "1", "--output", "json"])
        while rotation.isRunning, try observer.secretCountsByProvider()["v2", default: 0] == 0 { usleep(500) }
        var updated: [Int: String] = [:]
        for index in stride(from: 3, to: V1SecretsFixture.count, by: 50) {
            let value = "during-rotation-\(index)-" + randomHex(12)
            try sandbox.succeed(["secrets", "update", V1SecretsFixture.name(index), "--from-file", "-"], stdin: Data(value.utf8))
            updated[index] = value
        }
        let result = rotation.wait()
        #expect(result.exitCode == 0, "\(result)")
        let rotated = try #require(try result.jsonObject()["rotated_secrets"] as? Int, "\(result)")
        #expect(rotated <= V1SecretsFixture.count && rotated >= V1SecretsFixture.count - updated.count, "\(result)")

        #expect(try observer.secretCountsByProvider() == ["v2": V1SecretsFixture.count])
        let v2Only = try sandbox.libraryStore(keyRing: KeyRing(current: try v2.provider()))
        var wrong: [String] = []
        for (index, original) in fixture.values.enumerated() {
            let name = V1SecretsFixture.name(index)
            let read = try? v2Only.accessSecret(SecretReference(parsing: name)).revealedString()
            if read != (updated[index] ?? original) { wrong.append(name) }
        }
        #expect(wrong.isEmpty, "lost or wrong values: \(wrong.prefix(10))")
    }
}
