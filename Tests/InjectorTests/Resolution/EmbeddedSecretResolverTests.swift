import Foundation
import Injector
import SecretStore
import Testing

/// The embedded resolver reads the local store, keeps a job inside its workspace unless allowed out, and explains
/// every failure without the value.
struct EmbeddedSecretResolverTests {
    @Test func resolvesAndExplainsEachFailure() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resolver-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SecretStore.open(settings: StoreSettings(dataDirectory: directory, configFile: nil), environment: [:])
        try store.createWorkspace(try WorkspaceName("other"))
        try store.createSecret(try SecretReference(parsing: "default/token"), value: SecretValue("value-123456"))
        try store.createSecret(try SecretReference(parsing: "other/key"), value: SecretValue("other-value-123456"))

        let confined = EmbeddedSecretResolver(store: store, jobWorkspace: .default, allowCrossWorkspace: false)
        let results = await confined.resolveAll(
            try ["token", "missing", "other/key", "token"].map { try SecretReference(parsing: $0) })
        #expect(results.outcomes.count == 3)
        #expect(results.value(of: try SecretReference(parsing: "token"))?.revealedString() == "value-123456")
        #expect(results.failures.map(\.reference.description) == ["default/missing", "other/key"])
        #expect(results.failures.map(\.failure.outcome) == ["not-found", "forbidden"])
        do {
            try results.requireAll()
            Issue.record("requireAll should throw")
        } catch {
            #expect(error.description.contains("2 secret references could not be resolved"))
            #expect(error.description.contains("--allow-cross-workspace"))
            #expect(!error.description.contains("value-123456"))
        }

        let allowed = EmbeddedSecretResolver(store: store, jobWorkspace: .default, allowCrossWorkspace: true)
        let crossed = await allowed.resolve(try SecretReference(parsing: "other/key"))
        #expect((try? crossed.get())?.revealedString() == "other-value-123456")
    }

    @Test func childEnvironmentDropsTheRunnersOwnVariables() {
        let inherited = [
            "PATH": "/bin", "HOME": "/h", "LANG": "C", "TZ": "UTC", "USER": "u", "JOBRUNNER_SERVICE_TOKEN_FILE": "/t",
            "JOBRUNNER_DATA_DIR": "/d", "NEMO_JOB_SECRETS": "A=b", "KEY_VAR": "k",
        ]
        let normal = ChildEnvironment.inherited(from: inherited, clean: false, privateVariables: ["KEY_VAR"])
        #expect(normal.map(\.0) == ["HOME", "LANG", "PATH", "TZ", "USER"])
        let clean = ChildEnvironment.inherited(from: inherited, clean: true, privateVariables: [])
        #expect(clean.map(\.0) == ["HOME", "LANG", "PATH", "TZ"])
    }
}
