import SecretStore

/// The secrets a scenario writes: references in the `default` workspace and token-like values, built before
/// any timing starts so that scenarios measure the store, not the making of their inputs.
struct SecretFixtures: Sendable {
    /// The length of every value: about what an API token or password is.
    static let valueByteCount = 40

    /// `default/secret-000001`, `default/secret-000002`, …
    let references: [SecretReference]
    /// One distinct value per reference, at the same index.
    let values: [SecretValue]

    /// `count` secrets, the same ones in every run.
    init(count: Int) throws {
        var generator = SeededGenerator(seed: 0x5EC2_E7)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let width = max(6, String(count).count)
        references = try (1...count).map { index in
            let digits = String(index)
            let name = "secret-" + String(repeating: "0", count: width - digits.count) + digits
            return SecretReference(workspace: .default, name: try SecretName(name))
        }
        values = (0..<count).map { _ in
            let token =
                Array("tok_".utf8)
                + (0..<(Self.valueByteCount - 4)).map { _ in alphabet.randomElement(using: &generator)! }
            return SecretValue(bytes: token)
        }
    }

    /// Every index of the first `count` secrets once, in an order fixed by `seed`.
    func shuffledIndices(count: Int, seed: UInt64) -> [Int] {
        precondition(count <= references.count, "only \(references.count) fixtures were made")
        var generator = SeededGenerator(seed: seed)
        return Array(0..<count).shuffled(using: &generator)
    }
}
