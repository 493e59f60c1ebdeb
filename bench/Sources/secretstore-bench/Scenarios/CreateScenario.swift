import SecretStore

/// Creating secrets one at a time on one thread, as a CLI or API caller does: each create seals the value,
/// wraps a fresh data key and commits one transaction.
enum CreateScenario {
    /// Creates made before timing, under names the measured run never uses.
    static let warmUpCount = 100

    /// Times creating fixtures `0..<count` in `store`, which must not hold them yet.
    static func run(_ store: SecretStore, fixtures: SecretFixtures, count: Int) throws -> Measurement {
        for index in 0..<warmUpCount {
            let reference = SecretReference(workspace: .default, name: try SecretName("warm-up-\(index)"))
            try store.createSecret(reference, value: fixtures.values[index % fixtures.values.count])
        }
        return try Measurement.time("store create 40 B", operations: count) {
            for index in 0..<count {
                try store.createSecret(fixtures.references[index], value: fixtures.values[index])
            }
        }
    }
}
