import SecretStore

/// Reading secrets back in random order, as job runs do when they resolve their secrets: each access reads
/// one row, unwraps its data key and decrypts the value.
enum AccessScenario {
    /// Accesses made before timing, to open reader connections and warm SQLite's page cache.
    static let warmUpCount = 500

    /// The order is fixed so that every run reads the same sequence.
    private static let orderSeed: UInt64 = 0xACCE55

    /// Times accessing fixtures `0..<count`, each once in random order, then checks every value read back.
    static func run(_ store: SecretStore, fixtures: SecretFixtures, count: Int, sink: ResultSink) throws -> Measurement {
        let order = fixtures.shuffledIndices(count: count, seed: orderSeed)
        for index in order.prefix(warmUpCount) {
            sink.consume(try store.accessSecret(fixtures.references[index]).count)
        }
        let measurement = try Measurement.time("store access 40 B (random order)", operations: count) {
            for index in order {
                sink.consume(try store.accessSecret(fixtures.references[index]).count)
            }
        }
        for index in 0..<count {
            guard try store.accessSecret(fixtures.references[index]).constantTimeEquals(fixtures.values[index]) else {
                throw BenchmarkFailure("secret \(fixtures.references[index]) read back a different value")
            }
        }
        return measurement
    }
}
