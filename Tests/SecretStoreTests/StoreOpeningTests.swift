import Foundation
import Testing

@testable import SecretStore

/// Opening a store from settings: the development key when nothing is configured, configured providers
/// otherwise, and the dev key kept readable so one rotation moves off it.
struct StoreOpeningTests {
    let directory = TemporaryDirectory()

    var settings: StoreSettings { StoreSettings(dataDirectory: directory.file("data"), configFile: nil) }

    @Test func withoutConfigurationADevelopmentKeyIsCreatedOncePrivatelyAndWarnedAbout() throws {
        let firstLog = RecordingLogHandler()
        let first = try SecretStore.open(settings: settings, environment: [:], logger: firstLog.logger)
        try first.createSecret(ref("a"), value: SecretValue("dev-protected"))
        let keyPath = directory.file("data/\(DevelopmentKey.fileName)")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: directory.file("data"))[.posixPermissions] as? Int) == 0o700)
        let key = try String(contentsOfFile: keyPath, encoding: .utf8)
        #expect(firstLog.messages.contains { $0.level == .warning && $0.text.contains("evaluation only") })

        let secondLog = RecordingLogHandler()
        let second = try SecretStore.open(settings: settings, environment: [:], logger: secondLog.logger)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == key)
        #expect(secondLog.messages.contains { $0.level == .warning && $0.text.contains("evaluation only") })
        #expect(try second.accessSecret(ref("a")).revealedString() == "dev-protected")
        #expect(second.currentProviderName == DevelopmentKey.providerName)
    }

    @Test func concurrentFirstStartsAgreeOnOneDevelopmentKey() async throws {
        let settings = self.settings
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let store = try SecretStore.open(settings: settings, environment: [:])
                    try store.createSecret(ref("k\(index)"), value: SecretValue("v\(index)"))
                    return "ok"
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        let store = try SecretStore.open(settings: settings, environment: [:])
        for index in 0..<8 { #expect(try store.accessSecret(ref("k\(index)")).revealedString() == "v\(index)") }
    }

    @Test func configuredProvidersReplaceTheDevelopmentKeyAndOneRotationMovesOffIt() throws {
        try SecretStore.open(settings: settings, environment: [:]).createSecret(ref("a"), value: SecretValue("x"))
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let config = directory.file("config.yaml")
        try """
        secrets:
          encryption:
            current_provider: v1
            providers:
              secret_key:
                v1: { from_env: STORE_KEY }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let configured = StoreSettings(dataDirectory: directory.file("data"), configFile: config)
        let log = RecordingLogHandler()
        let store = try SecretStore.open(settings: configured, environment: ["STORE_KEY": key], logger: log.logger)
        #expect(!log.messages.contains { $0.text.contains("evaluation only") })
        #expect(store.keyEnvironmentVariables == ["STORE_KEY"])
        #expect(try store.accessSecret(ref("a")).revealedString() == "x")
        #expect(try store.rotateEncryptionKeys().rotatedSecrets == 1)
        try FileManager.default.removeItem(atPath: directory.file("data/\(DevelopmentKey.fileName)"))
        let afterwards = try SecretStore.open(settings: configured, environment: ["STORE_KEY": key])
        #expect(try afterwards.accessSecret(ref("a")).revealedString() == "x")
    }

    @Test func settingsResolveOptionsThenEnvironmentThenDefaults() throws {
        let config = directory.file("explicit.yaml")
        _ = FileManager.default.createFile(atPath: config, contents: Data())
        #expect(
            try StoreSettings.resolve(dataDirectory: "/opt/d", configFile: config, environment: ["JOBRUNNER_DATA_DIR": "/e"])
                == StoreSettings(dataDirectory: "/opt/d", configFile: config))
        #expect(
            try StoreSettings.resolve(dataDirectory: nil, configFile: nil, environment: ["JOBRUNNER_DATA_DIR": "/e", "HOME": "/h"])
                == StoreSettings(dataDirectory: "/e", configFile: nil))
        #expect(
            try StoreSettings.resolve(dataDirectory: nil, configFile: nil, environment: ["HOME": "/h"])
                == StoreSettings(dataDirectory: "/h/.local/share/jobrunner", configFile: nil))
        #expect(
            try StoreSettings.resolve(dataDirectory: nil, configFile: nil, environment: ["HOME": "/h", "JOBRUNNER_CONFIG": config])
                == StoreSettings(dataDirectory: "/h/.local/share/jobrunner", configFile: config))
        try FileManager.default.createDirectory(atPath: directory.file("d"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.file("d/config.yaml"), contents: Data())
        #expect(
            try StoreSettings.resolve(dataDirectory: directory.file("d"), configFile: nil, environment: [:]).configFile
                == directory.file("d/config.yaml"))
        #expect(throws: SecretStoreError.self) {
            try StoreSettings.resolve(dataDirectory: nil, configFile: "/nonexistent.yaml", environment: [:])
        }
    }
}
