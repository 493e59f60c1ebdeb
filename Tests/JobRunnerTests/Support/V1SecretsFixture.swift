import Foundation
import SecretStore

/// A database of many secrets wrapped by provider `v1`, built once per test run and copied into sandboxes.
///
/// The rotation tests need a thousand rows under the old provider. Creating them through the binary would cost
/// a thousand process launches, and even in-process every create is its own synchronous transaction, so the
/// database is built once (on tmpfs when available, where fsync is free) and each test gets its own copy.
struct V1SecretsFixture: Sendable {
    /// How many secrets the fixture holds.
    static let count = 1_000

    /// The key that wrapped every data key.
    let v1: TestKey
    /// The value of `default/rotate-NNNN` is `values[NNNN]`.
    let values: [String]
    /// The directory holding the built database.
    let directory: URL

    /// The secret name of the `index`-th secret.
    static func name(_ index: Int) -> String {
        "rotate-" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index)
    }

    /// The fixture, built on first use; concurrent first uses wait for the one build.
    static func shared() throws -> V1SecretsFixture {
        try built.get()
    }

    private static let built: Result<V1SecretsFixture, any Error> = Result { try build() }

    private static func build() throws -> V1SecretsFixture {
        let base =
            FileManager.default.isWritableFile(atPath: "/dev/shm")
            ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let directory = base.appendingPathComponent("jobrunner-e2e-fixture-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        fixtureDirectoryToRemove = directory.path
        atexit { fixtureDirectoryToRemove.map { try? FileManager.default.removeItem(atPath: $0) } }
        let v1 = TestKey(name: "v1")
        let salt = randomHex(12)
        let values = (0..<count).map { "value-\($0)-\(salt)" }
        do {
            // The store is released at the end of this scope, closing the database and checkpointing its WAL.
            let store = try SecretStore(
                databasePath: directory.appendingPathComponent("secrets.sqlite").path,
                keyRing: KeyRing(current: try v1.provider()))
            for (index, value) in values.enumerated() {
                try store.createSecret(
                    SecretReference(parsing: name(index)), value: SecretValue(value), description: "fixture \(index)")
            }
        }
        return V1SecretsFixture(v1: v1, values: values, directory: directory)
    }

    /// Copies the database into the sandbox's data directory.
    func install(into sandbox: Sandbox) throws {
        for file in ["secrets.sqlite", "secrets.sqlite-wal"] {
            let source = directory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try FileManager.default.copyItem(at: source, to: sandbox.dataDirectory.appendingPathComponent(file))
        }
    }
}

/// The fixture's directory, removed when the test process exits (tmpfs space is memory).
nonisolated(unsafe) private var fixtureDirectoryToRemove: String?
