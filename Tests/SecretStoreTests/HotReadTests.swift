import Foundation
import Testing

@testable import SecretStore

/// The per-request lookups (secret, token, roles) that run on the store's own read-only SQLite connections:
/// they see every committed change at once, also another store's, answer right from many threads at once, and
/// fail cleanly once the store is closed.
struct HotReadTests {
    let directory = TemporaryDirectory()
    let provider = makeProvider("v1")

    @Test func lookupsSeeWritesOfThisStoreAndOfAnotherOneAtOnce() throws {
        let server = try makeStore(in: directory, current: provider)
        let other = try makeStore(in: directory, current: provider)
        #expect(throws: SecretStoreError.secretNotFound(ref("a"))) { try server.secretMetadata(ref("a")) }

        let created = try other.createSecret(ref("a"), value: SecretValue("first"), description: nil)
        #expect(try server.secretMetadata(ref("a")) == created)
        #expect(try server.accessSecret(ref("a")).revealedString() == "first")

        let updated = try other.updateSecret(ref("a"), value: SecretValue("second"), description: "now described")
        #expect(try server.secretMetadata(ref("a")) == updated)
        #expect(try server.accessSecret(ref("a")).revealedString() == "second")

        try other.deleteSecret(ref("a"))
        #expect(throws: SecretStoreError.secretNotFound(ref("a"))) { try server.accessSecret(ref("a")) }
    }

    @Test func tokensAndRolesAreReadFromTheDatabase() throws {
        let store = try makeStore(in: directory, current: provider)
        let token = try #require(try store.createToken(for: "svc:jobs", isService: true).revealedString())
        let principal = try store.authenticate(bearerToken: token)
        #expect(principal.name == "svc:jobs" && principal.isService)

        try store.grant(.editor, to: "alice", in: .default)
        try store.grant(.platformAdmin, to: "alice", in: nil)
        let grants = try store.grants(of: "alice")
        #expect(grants.isPlatformAdmin && grants.workspaceRoles == ["default": .editor])
        #expect(try store.grants(of: "nobody") == .none)

        try store.revokeTokens(of: "svc:jobs")
        #expect(throws: AccessDenial.unauthenticated("Invalid or revoked token")) { try store.authenticate(bearerToken: token) }
        let unknownSelector = "jrt_" + String(repeating: "0", count: 24) + "_" + String(repeating: "A", count: 43)
        #expect(throws: AccessDenial.unauthenticated("Invalid or revoked token")) {
            try store.authenticate(bearerToken: unknownSelector)
        }
    }

    @Test func namesAreMatchedExactlyByteForByte() throws {
        let store = try makeStore(in: directory, current: provider)
        try store.createSecret(ref("Key.1"), value: SecretValue("upper"))
        try store.createSecret(ref("key.1"), value: SecretValue("lower"))
        #expect(try store.accessSecret(ref("Key.1")).revealedString() == "upper")
        #expect(try store.accessSecret(ref("key.1")).revealedString() == "lower")
        #expect(throws: SecretStoreError.secretNotFound(ref("KEY.1"))) { try store.secretMetadata(ref("KEY.1")) }
    }

    @Test func manyThreadsReadingAtOnceEachGetTheirOwnAnswer() async throws {
        let store = try makeStore(in: directory, current: provider)
        for index in 0..<50 { try store.createSecret(ref("s\(index)"), value: SecretValue("value-\(index)"), description: "d\(index)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reader in 0..<8 {
                group.addTask {
                    for round in 0..<200 {
                        let index = (reader * 7 + round) % 50
                        guard try store.accessSecret(ref("s\(index)")).revealedString() == "value-\(index)",
                            try store.secretMetadata(ref("s\(index)")).description == "d\(index)"
                        else { throw SecretStoreError.storage("reader \(reader) read a wrong row for s\(index)") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func aClosedStoreRefusesLookupsWithAStorageError() throws {
        let store = try makeStore(in: directory, current: provider)
        try store.createSecret(ref("a"), value: SecretValue("x"))
        try store.close()
        #expect {
            try store.secretMetadata(ref("a"))
        } throws: { error in
            guard case let .storage(message) = error as? SecretStoreError else { return false }
            return message.contains("closed") && !message.contains("SELECT")
        }
    }
}
