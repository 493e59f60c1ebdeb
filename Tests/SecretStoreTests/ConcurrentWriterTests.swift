import Foundation
import Testing

@testable import SecretStore

/// Separate connections (as separate processes hold) write at once without "database is locked" or lost rows.
/// The multi-process version with the real binary is in JobRunnerTests.
struct ConcurrentWriterTests {
    @Test func twoStoresWriteFiveHundredSecretsEachAtTheSameTime() async throws {
        let directory = TemporaryDirectory()
        let provider = makeProvider("v1")
        let stores = try (0..<2).map { _ in try makeStore(in: directory, current: provider) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (writer, store) in stores.enumerated() {
                group.addTask {
                    for index in 0..<500 {
                        try store.createSecret(ref("w\(writer)-\(index)"), value: SecretValue("value-\(writer)-\(index)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let reader = try makeStore(in: directory, current: provider)
        #expect(try reader.listSecrets(in: .default).pagination.totalResults == 1000)
        for writer in 0..<2 {
            for index in stride(from: 0, to: 500, by: 37) {
                #expect(try reader.accessSecret(ref("w\(writer)-\(index)")).revealedString() == "value-\(writer)-\(index)")
            }
        }
    }

    @Test func concurrentUpdatesOfOneSecretEachLandWhole() async throws {
        let directory = TemporaryDirectory()
        let provider = makeProvider("v1")
        try makeStore(in: directory, current: provider).createSecret(ref("shared"), value: SecretValue("start"))
        let stores = try (0..<2).map { _ in try makeStore(in: directory, current: provider) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (writer, store) in stores.enumerated() {
                group.addTask {
                    for index in 0..<100 {
                        try store.updateSecret(ref("shared"), value: SecretValue("w\(writer)-\(index)"), description: "w\(writer)-\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let reader = try makeStore(in: directory, current: provider)
        let value = try #require(try reader.accessSecret(ref("shared")).revealedString())
        #expect(value == "w0-99" || value == "w1-99")
        #expect(try reader.secretMetadata(ref("shared")).description == value)
    }
}
