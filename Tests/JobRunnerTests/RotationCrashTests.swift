import Foundation
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Rotation must survive `kill -9` at any moment: every row stays under v1 or v2 and readable, and a rerun
/// finishes the job and reports exactly what was left.
@Suite("Rotation killed with SIGKILL")
struct RotationCrashTests {
    /// When to kill one rotation run.
    struct KillPoint: CustomStringConvertible {
        let label: String
        /// `--batch-size`; small so that rows commit one by one and kills land between and inside batches.
        let batchSize: Int
        /// Kill once this many more rows than before the run are under v2 (watched from this process with
        /// read-only queries); nil: kill after `delay`.
        var afterMoreRows: Int? = nil
        /// Microseconds to wait after launch when `afterMoreRows` is nil.
        var delay: useconds_t = 0

        var description: String { label }
    }

    static let killPoints: [KillPoint] = [
        KillPoint(label: "immediately after launch", batchSize: 1),
        KillPoint(label: "50 ms after launch (opening the store or counting rows)", batchSize: 1, delay: 50_000),
        KillPoint(label: "after its first re-wrapped row", batchSize: 1, afterMoreRows: 1),
        KillPoint(label: "after 240 more rows", batchSize: 1, afterMoreRows: 240),
        KillPoint(label: "after 240 more rows, batches of 7 (between or inside batches)", batchSize: 7, afterMoreRows: 240),
        KillPoint(label: "after another 240 rows", batchSize: 1, afterMoreRows: 240),
    ]

    @Test("SIGKILL at several points of a rotation; every secret stays readable; a rerun completes it")
    func killDuringRotation() throws {
        let fixture = try V1SecretsFixture.shared()
        let total = V1SecretsFixture.count
        let v2 = TestKey(name: "v2")
        let sandbox = try Sandbox(config: .inline(current: "v2", [fixture.v1, v2]))
        try fixture.install(into: sandbox)
        let bothKeys = KeyRing(current: try v2.provider(), others: [try fixture.v1.provider()])
        // Progress is watched through a read-only connection of our own; values are checked through the library.
        let observer = try sandbox.libraryStore(keyRing: bothKeys)
        let inspector = sandbox.database

        var landings: [String] = []
        var killedMidRotation = 0
        var previouslyRotated = 0
        for point in Self.killPoints {
            let child = try sandbox.start([
                "admin", "rotate-encryption-keys", "--batch-size", "\(point.batchSize)", "--output", "json",
            ])
            if let more = point.afterMoreRows {
                let threshold = previouslyRotated + more
                while child.isRunning, try inspector.rowsByProvider()["v2", default: 0] < threshold {
                    usleep(500)
                }
            } else if point.delay > 0 {
                usleep(point.delay)
            }
            child.send(SIGKILL)
            let result = child.wait()

            let counts = try inspector.rowsByProvider()
            let rotated = counts["v2", default: 0]
            let landed = result.wasSignalled ? "killed with \(rotated) of \(total) under v2" : "finished before the kill (exit \(result.exitCode))"
            landings.append("\(point): \(landed)")
            if result.wasSignalled && rotated > 0 && rotated < total { killedMidRotation += 1 }
            if !result.wasSignalled { #expect(result.exitCode == 0, "\(point): \(result)") }

            // Every row is under v1 or v2, none lost, none moved back, and every value reads back correctly.
            #expect(Set(counts.keys).isSubset(of: ["v1", "v2"]), "\(point): \(counts)")
            #expect(counts.values.reduce(0, +) == total, "\(point): \(counts)")
            #expect(rotated >= previouslyRotated, "\(point): rows went back to v1: \(counts)")
            previouslyRotated = rotated
            try expectAllReadable(observer, fixture, after: point.label)
            // Through the binary too, on both sides of where the kill landed (rows move in id order, which is
            // fixture order): the last row moved to v2 and the first still under v1.
            for index in Set([max(rotated - 1, 0), min(rotated, total - 1)]) {
                let read = try sandbox.run(["secrets", "access", V1SecretsFixture.name(index)])
                #expect(read.exitCode == 0 && read.output == fixture.values[index], "after \(point): \(read)")
            }
        }
        print("Rotation kill points (\(total) secrets):\n  " + landings.joined(separator: "\n  "))
        // Kills landing mid-rotation are the point of this test; the thresholds make at least the later ones land.
        #expect(killedMidRotation >= 2, "kills did not land mid-rotation: \(landings)")

        // The rerun goes row by row too; once it has started moving rows, the binary reads a secret meanwhile
        // (other rows keep working during a rotation).
        let remaining = try inspector.rowsByProvider()["v1", default: 0]
        let finisher = try sandbox.start(["admin", "rotate-encryption-keys", "--batch-size", "1", "--output", "json"])
        while finisher.isRunning, try inspector.rowsByProvider()["v2", default: 0] == previouslyRotated {
            usleep(500)
        }
        let reader = try sandbox.start(["secrets", "access", V1SecretsFixture.name(total - 1)])
        let read = reader.wait()
        #expect(read.exitCode == 0 && read.output == fixture.values[total - 1], "read during rotation: \(read)")
        let rerun = finisher.wait()
        #expect(rerun.exitCode == 0, "\(rerun)")
        #expect(try rerun.jsonObject()["rotated_secrets"] as? Int == remaining, "remaining \(remaining): \(rerun)")
        #expect(try rerun.jsonObject()["success"] as? Bool == true, "\(rerun)")
        #expect(rerun.errorOutput.contains("Completed rotation of encryption keys for all secrets"), "\(rerun)")
        #expect(try inspector.rowsByProvider() == ["v2": total])

        let v2Only = try sandbox.libraryStore(keyRing: KeyRing(current: try v2.provider()))
        try expectAllReadable(v2Only, fixture, after: "the final rerun, with v2 only")
        try sandbox.writeConfig(.inline(current: "v2", [v2]))
        #expect(try sandbox.succeed(["secrets", "access", V1SecretsFixture.name(0)]).output == fixture.values[0])
    }

    private func expectAllReadable(_ store: SecretStore, _ fixture: V1SecretsFixture, after label: String) throws {
        var failures: [String] = []
        for (index, value) in fixture.values.enumerated() {
            let name = V1SecretsFixture.name(index)
            do {
                if try store.accessSecret(SecretReference(parsing: name)).revealedString() != value {
                    failures.append("\(name): wrong value")
                }
            } catch {
                failures.append("\(name): \(error)")
            }
        }
        #expect(failures.isEmpty, "after \(label), \(failures.count) secrets unreadable: \(failures.prefix(5))")
    }
}
