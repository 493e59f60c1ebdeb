import SecretStore

/// Moving every secret's data key from provider `v1` to `v2` with `rotateEncryptionKeys()`, as an operator
/// does after adding a new key: a second store opens the same file with `v2` current and `v1` still known.
enum RotationScenario {
    /// What one rotation run took: filling the database first, then the rotation itself.
    struct Result {
        /// Creating the secrets under `v1`; reported apart, since no user waits for it during a rotation.
        let setup: Measurement
        /// The `rotateEncryptionKeys()` call alone.
        let rotation: Measurement
        /// The per-row crypto floor, measured between setup and the rotation.
        let baseline: Measurement
    }

    /// Secrets read back after the rotation with a ring that no longer knows `v1`.
    static let spotCheckCount = 100

    /// Rotates `count` secrets in a fresh database under `directory`, then checks that every row moved.
    ///
    /// `measuringBaseline` runs after the database is filled and right before the rotation, so that the ratio
    /// compares two figures taken under the same machine load.
    static func run(
        count: Int, fixtures: SecretFixtures, keys: BenchmarkKeys, directory: String, populateThreads: Int,
        measuringBaseline: () throws -> Measurement
    ) throws -> Result {
        let database = try TemporaryDatabase(under: directory)
        let setup = try Population.fill(
            try database.openStore(keyRing: keys.beforeRotation), with: fixtures, count: count, threads: populateThreads)

        let rotatingStore = try database.openStore(keyRing: keys.duringRotation)
        let baseline = try measuringBaseline()
        var report: RotationReport?
        let rotation = try Measurement.time("store rotate \(count) v1→v2", operations: count) {
            report = try rotatingStore.rotateEncryptionKeys()
        }

        guard let report, report.success, report.rotatedSecrets == count else {
            throw BenchmarkFailure("rotation of \(count) secrets reported \(String(describing: report))")
        }
        let counts = try rotatingStore.secretCountsByProvider()
        guard counts == [keys.v2.name: count] else {
            throw BenchmarkFailure("after rotating \(count) secrets the rows per provider are \(counts)")
        }
        let rotatedStore = try database.openStore(keyRing: keys.afterRotation)
        for index in fixtures.shuffledIndices(count: count, seed: UInt64(count)).prefix(spotCheckCount) {
            guard try rotatedStore.accessSecret(fixtures.references[index]).constantTimeEquals(fixtures.values[index]) else {
                throw BenchmarkFailure("secret \(fixtures.references[index]) read back a different value after rotation")
            }
        }
        return Result(setup: setup, rotation: rotation, baseline: baseline)
    }
}
