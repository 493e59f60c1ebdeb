import Foundation
import GRDB
import Testing

@testable import SecretStore

/// Rotation re-wraps every data key under the current provider: atomic per row, idempotent, with the real
/// count, per-row failures logged and counted, and the reference's completion message.
struct RotationTests {
    let directory = TemporaryDirectory()
    let v1 = makeProvider("v1")
    let v2 = makeProvider("v2")

    func providerCounts() throws -> [String: Int] {
        try makeStore(in: directory, current: v2, others: [v1]).secretCountsByProvider()
    }

    @Test func rotatesAThousandSecretsThenReadsThemWithoutTheOldProvider() throws {
        let old = try makeStore(in: directory, current: v1)
        for index in 0..<1000 {
            try old.createSecret(ref("rot-\(index)"), value: SecretValue("value-\(index)"), description: "d\(index)")
        }
        let before = try old.secretMetadata(ref("rot-999"))

        let log = RecordingLogHandler()
        let rotating = try makeStore(in: directory, current: v2, others: [v1], logger: log.logger)
        // Before rotation, v1 rows read fine with v2 current; a new value moves its row to v2 already.
        #expect(try rotating.accessSecret(ref("rot-1")).revealedString() == "value-1")
        try rotating.updateSecret(ref("rot-2"), value: SecretValue("new-2"))
        try rotating.createSecret(ref("post-switch"), value: SecretValue("ps"))
        #expect(try providerCounts() == ["v1": 999, "v2": 2])

        let progressCount = Counter()
        let report = try rotating.rotateEncryptionKeys(batchSize: 128) { _ in progressCount.increment() }
        #expect(report == RotationReport(rotatedSecrets: 999, failedSecrets: 0))
        #expect(report.success)
        #expect(progressCount.value == 8)
        #expect(log.messages.contains { $0.level == .info && $0.text.hasPrefix(SecretStore.rotationCompletedMessage) })
        #expect(try providerCounts() == ["v2": 1001])
        // Rotation moves keys only: metadata is unchanged.
        #expect(try rotating.secretMetadata(ref("rot-999")) == before)

        #expect(try rotating.rotateEncryptionKeys() == RotationReport(rotatedSecrets: 0, failedSecrets: 0))

        let v2Only = try makeStore(in: directory, current: v2)
        for index in 0..<1000 where index != 2 {
            #expect(try v2Only.accessSecret(ref("rot-\(index)")).revealedString() == "value-\(index)")
        }
        #expect(try v2Only.accessSecret(ref("rot-2")).revealedString() == "new-2")
    }

    @Test func rowsThatCannotBeUnwrappedAreLoggedCountedAndSkipped() throws {
        let v0 = makeProvider("v0")
        try makeStore(in: directory, current: v0).createSecret(ref("orphan"), value: SecretValue("x"))
        let old = try makeStore(in: directory, current: v1)
        for index in 0..<10 { try old.createSecret(ref("ok-\(index)"), value: SecretValue("v\(index)")) }
        try old.createSecret(ref("damaged"), value: SecretValue("x"))
        let queue = try DatabaseQueue(path: directory.file("secrets.sqlite"))
        try queue.write {
            try $0.execute(sql: "UPDATE secret SET wrapped_data_key = randomblob(88) WHERE name = 'damaged'")
        }

        let log = RecordingLogHandler()
        let rotating = try makeStore(in: directory, current: v2, others: [v1], logger: log.logger)
        let report = try rotating.rotateEncryptionKeys(batchSize: 4)
        #expect(report == RotationReport(rotatedSecrets: 10, failedSecrets: 2))
        #expect(!report.success)
        let errors = log.messages.filter { $0.level == .error }.map(\.text)
        #expect(errors.contains { $0.contains("default/orphan") && $0.contains("'v0'") })
        #expect(errors.contains { $0.contains("default/damaged") && $0.contains("failed authentication") })
        #expect(errors.contains { $0.contains("incomplete") && $0.contains("2 secrets") })
        #expect(!log.messages.contains { $0.text.contains(SecretStore.rotationCompletedMessage) })
        #expect(try providerCounts() == ["v0": 1, "v1": 1, "v2": 10])

        // Once the operator brings v0 back and repairs the damaged row, a retry finishes the job.
        try rotating.deleteSecret(ref("damaged"))
        let retry = try makeStore(in: directory, current: v2, others: [v0, v1])
        #expect(try retry.rotateEncryptionKeys() == RotationReport(rotatedSecrets: 1, failedSecrets: 0))
        #expect(try providerCounts() == ["v2": 11])
    }

    @Test func aStoreHalfwayThroughRotationReadsEveryRowAndARerunFinishes() throws {
        // The state a killed rotation leaves: some rows under v2, the rest under v1 (the real kill -9 test runs
        // the binary in JobRunnerTests).
        let old = try makeStore(in: directory, current: v1)
        for index in 0..<120 { try old.createSecret(ref("s\(index)"), value: SecretValue("v\(index)")) }
        _ = try makeStore(in: directory, current: v2, others: [v1]).rotateEncryptionKeys()
        for index in 120..<300 { try old.createSecret(ref("s\(index)"), value: SecretValue("v\(index)")) }

        let both = try makeStore(in: directory, current: v2, others: [v1])
        #expect(try both.secretCountsByProvider() == ["v1": 180, "v2": 120])
        for index in 0..<300 { #expect(try both.accessSecret(ref("s\(index)")).revealedString() == "v\(index)") }
        #expect(try both.rotateEncryptionKeys(batchSize: 7) == RotationReport(rotatedSecrets: 180, failedSecrets: 0))
        let v2Only = try makeStore(in: directory, current: v2)
        for index in 0..<300 { #expect(try v2Only.accessSecret(ref("s\(index)")).revealedString() == "v\(index)") }
    }

    @Test func writesDuringRotationAreNeitherLostNorClobbered() async throws {
        let old = try makeStore(in: directory, current: v1)
        for index in 0..<400 { try old.createSecret(ref("s\(index)"), value: SecretValue("v\(index)")) }
        let rotating = try makeStore(in: directory, current: v2, others: [v1])
        let writer = try makeStore(in: directory, current: v2, others: [v1])
        async let rotation = Task.detached { try rotating.rotateEncryptionKeys(batchSize: 10) }.value
        async let updates: Void = Task.detached {
            for index in stride(from: 0, to: 400, by: 3) {
                try writer.updateSecret(ref("s\(index)"), value: SecretValue("updated-\(index)"))
            }
        }.value
        let report = try await rotation
        try await updates
        #expect(report.success)
        #expect(report.rotatedSecrets <= 400)
        let v2Only = try makeStore(in: directory, current: v2)
        for index in 0..<400 {
            let expected = index % 3 == 0 ? "updated-\(index)" : "v\(index)"
            #expect(try v2Only.accessSecret(ref("s\(index)")).revealedString() == expected)
        }
    }
}

/// A thread-safe counter for progress callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
