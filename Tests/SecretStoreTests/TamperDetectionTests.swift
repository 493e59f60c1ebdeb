import Foundation
import GRDB
import Testing

@testable import SecretStore

/// Corrupted, tampered or swapped rows are reported as errors naming the secret, never as garbage or a crash.
struct TamperDetectionTests {
    let directory = TemporaryDirectory()
    let provider = makeProvider("v1")
    let store: SecretStore

    init() throws {
        store = try makeStore(in: directory, current: provider)
        try store.createSecret(ref("alpha"), value: SecretValue("alpha-value"))
        try store.createSecret(ref("beta"), value: SecretValue("beta-value"))
    }

    /// Edits the database behind the store's back, as an attacker with file access would.
    func tamper(_ sql: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: directory.file("secrets.sqlite"))
        try queue.write { try $0.execute(sql: sql, arguments: arguments) }
    }

    func expectCannotDecrypt(_ name: String, mentioning fragment: String) {
        do {
            let value = try store.accessSecret(ref(name))
            Issue.record("read \(value.count) bytes from a tampered row")
        } catch let error as SecretStoreError {
            guard case .cannotDecrypt(let reference, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reference == ref(name))
            #expect(error.description.contains("default/\(name)"))
            #expect(reason.contains(fragment), "reason: \(reason)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func rowsSwappedBetweenTwoSecretsAreDetected() throws {
        let queue = try DatabaseQueue(path: directory.file("secrets.sqlite"))
        try queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT name, sealed_value, wrapped_data_key FROM secret")
            for row in rows {
                let other = rows.first { $0["name"] as String != row["name"] as String }!
                try db.execute(
                    sql: "UPDATE secret SET sealed_value = ?, wrapped_data_key = ? WHERE name = ?",
                    arguments: [other["sealed_value"], other["wrapped_data_key"], row["name"]])
            }
        }
        expectCannotDecrypt("alpha", mentioning: "copied from another secret")
        expectCannotDecrypt("beta", mentioning: "copied from another secret")
    }

    @Test func aRenamedRowIsDetected() throws {
        try tamper("UPDATE secret SET name = 'gamma' WHERE name = 'alpha'")
        expectCannotDecrypt("gamma", mentioning: "failed authentication")
    }

    @Test func aFlippedCiphertextByteIsDetected() throws {
        let sealed = try #require(
            try DatabaseQueue(path: directory.file("secrets.sqlite")).read {
                try Data.fetchOne($0, sql: "SELECT sealed_value FROM secret WHERE name = 'alpha'")
            })
        var flipped = sealed
        flipped[flipped.startIndex + 14] ^= 0x01
        try tamper("UPDATE secret SET sealed_value = ? WHERE name = 'alpha'", [flipped])
        expectCannotDecrypt("alpha", mentioning: "ciphertext failed authentication")
    }

    @Test func aTruncatedCiphertextIsDetected() throws {
        try tamper("UPDATE secret SET sealed_value = X'0102' WHERE name = 'alpha'")
        expectCannotDecrypt("alpha", mentioning: "failed authentication")
    }

    @Test func aTamperedWrappedKeyIsDetected() throws {
        try tamper(
            "UPDATE secret SET wrapped_data_key = substr(wrapped_data_key, 1, 40) || X'00' || substr(wrapped_data_key, 42) WHERE name = 'alpha'")
        expectCannotDecrypt("alpha", mentioning: "wrapped data key failed authentication")
        try tamper("UPDATE secret SET wrapped_data_key = X'00' WHERE name = 'beta'")
        expectCannotDecrypt("beta", mentioning: "too short")
    }

    @Test func theWrongKeyForAProviderIsReportedAsSuch() throws {
        let impostor = try makeStore(in: directory, current: makeProvider("v1"))
        do {
            _ = try impostor.accessSecret(ref("alpha"))
            Issue.record("decrypted with the wrong key")
        } catch {
            #expect("\(error)".contains("not the one that wrapped it"))
        }
    }

    @Test func aProviderMissingFromTheConfigurationIsNamed() throws {
        let other = try makeStore(in: directory, current: makeProvider("v2"))
        #expect(throws: SecretStoreError.providerNotConfigured(ref("alpha"), provider: "v1")) {
            try other.accessSecret(ref("alpha"))
        }
        #expect(SecretStoreError.providerNotConfigured(ref("alpha"), provider: "v1").category == .internalFailure)
    }

    @Test func otherSecretsStillWorkBesideADamagedOne() throws {
        try tamper("UPDATE secret SET sealed_value = X'00' WHERE name = 'alpha'")
        #expect(try store.accessSecret(ref("beta")).revealedString() == "beta-value")
        // Overwriting the damaged value repairs it.
        try store.updateSecret(ref("alpha"), value: SecretValue("fresh"))
        #expect(try store.accessSecret(ref("alpha")).revealedString() == "fresh")
    }
}
