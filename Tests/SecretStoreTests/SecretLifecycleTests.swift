import Foundation
import Testing

@testable import SecretStore

/// Create, read, update, delete and access against a real SQLite file.
struct SecretLifecycleTests {
    let directory = TemporaryDirectory()
    let store: SecretStore

    init() throws {
        store = try makeStore(in: directory, current: makeProvider("v1"))
    }

    @Test func roundTripsValueAndMetadata() throws {
        let created = try store.createSecret(ref("hf-token"), value: SecretValue("s3cr3t-1"), description: "first")
        #expect(created.name == "hf-token" && created.workspace == "default" && created.description == "first")
        #expect(created.createdAt == created.updatedAt)
        #expect(try store.secretMetadata(ref("default/hf-token")) == created)
        #expect(try store.accessSecret(ref("hf-token")).revealedString() == "s3cr3t-1")

        let valueChanged = try store.updateSecret(ref("hf-token"), value: SecretValue("s3cr3t-2"))
        #expect(valueChanged.description == "first")
        #expect(valueChanged.updatedAt > created.updatedAt)
        #expect(valueChanged.createdAt == created.createdAt)
        #expect(try store.accessSecret(ref("hf-token")).revealedString() == "s3cr3t-2")

        let described = try store.updateSecret(ref("hf-token"), description: "second")
        #expect(described.description == "second")
        #expect(try store.accessSecret(ref("hf-token")).revealedString() == "s3cr3t-2")

        let both = try store.updateSecret(ref("hf-token"), value: SecretValue("s3cr3t-3"), description: "")
        #expect(both.description == "")
        #expect(try store.accessSecret(ref("hf-token")).revealedString() == "s3cr3t-3")

        let untouched = try store.updateSecret(ref("hf-token"))
        #expect(untouched == both)

        try store.deleteSecret(ref("hf-token"))
        #expect(throws: SecretStoreError.secretNotFound(ref("hf-token"))) { try store.secretMetadata(ref("hf-token")) }
        #expect(throws: SecretStoreError.secretNotFound(ref("hf-token"))) { try store.accessSecret(ref("hf-token")) }
        #expect(throws: SecretStoreError.secretNotFound(ref("hf-token"))) { try store.deleteSecret(ref("hf-token")) }
    }

    @Test func unicodeAndLimitSizedValuesRoundTrip() throws {
        try store.createSecret(ref("univ"), value: SecretValue("ключ\n🔑\t\"q\""))
        #expect(try store.accessSecret(ref("univ")).revealedString() == "ключ\n🔑\t\"q\"")
        let largest = String(repeating: "x", count: SecretValue.maximumByteCount)
        try store.createSecret(ref("largest"), value: SecretValue(largest))
        #expect(try store.accessSecret(ref("largest")).revealedString() == largest)
    }

    @Test func invalidValuesChangeNothing() throws {
        try store.createSecret(ref("keep"), value: SecretValue("original"))
        #expect(throws: SecretStoreError.self) { try store.createSecret(ref("empty"), value: SecretValue("")) }
        #expect(throws: SecretStoreError.self) {
            try store.createSecret(ref("big"), value: SecretValue(String(repeating: "x", count: 65537)))
        }
        #expect(throws: SecretStoreError.self) { try store.updateSecret(ref("keep"), value: SecretValue("")) }
        #expect(throws: SecretStoreError.self) {
            try store.updateSecret(ref("keep"), value: SecretValue(String(repeating: "x", count: 65537)))
        }
        #expect(try store.accessSecret(ref("keep")).revealedString() == "original")
        #expect(try store.listSecrets(in: .default).pagination.totalResults == 1)
    }

    @Test func duplicatesAreRefusedAndTheFirstValueKept() throws {
        try store.createSecret(ref("dup"), value: SecretValue("first"))
        #expect(throws: SecretStoreError.secretAlreadyExists(ref("dup"))) {
            try store.createSecret(ref("dup"), value: SecretValue("second"))
        }
        #expect(try store.accessSecret(ref("dup")).revealedString() == "first")
    }

    @Test func namesAreCaseSensitive() throws {
        try store.createSecret(ref("Token"), value: SecretValue("upper"))
        try store.createSecret(ref("token"), value: SecretValue("lower"))
        #expect(try store.accessSecret(ref("Token")).revealedString() == "upper")
        #expect(try store.accessSecret(ref("token")).revealedString() == "lower")
    }

    @Test func missingWorkspacesAreErrorsOnCreateAndNotFoundOnRead() throws {
        #expect(SecretStoreError.workspaceMissingForNewSecret(try WorkspaceName("x")).category == .invalidInput)
        #expect(throws: SecretStoreError.workspaceMissingForNewSecret(try WorkspaceName("nosuchws"))) {
            try store.createSecret(ref("nosuchws/a"), value: SecretValue("x"))
        }
        #expect(throws: SecretStoreError.secretNotFound(ref("nosuchws/a"))) { try store.secretMetadata(ref("nosuchws/a")) }
        #expect(throws: SecretStoreError.workspaceNotFound(try WorkspaceName("nosuchws"))) {
            try store.listSecrets(in: WorkspaceName("nosuchws"))
        }
    }

    @Test func workspacesAreResources() throws {
        let teamA = try WorkspaceName("team-a")
        try store.createWorkspace(teamA)
        #expect(throws: SecretStoreError.workspaceAlreadyExists(teamA)) { try store.createWorkspace(teamA) }
        try store.createSecret(ref("team-a/key"), value: SecretValue("a"))
        try store.createSecret(ref("key"), value: SecretValue("d"))
        #expect(try store.accessSecret(ref("team-a/key")).revealedString() == "a")
        #expect(try store.listWorkspaces().map(\.name) == ["default", "team-a"])
        #expect(try store.listWorkspaces().map(\.secretCount) == [1, 1])

        #expect(throws: SecretStoreError.workspaceNotEmpty(teamA, secretCount: 1)) { try store.deleteWorkspace(teamA) }
        #expect(throws: SecretStoreError.defaultWorkspaceIsPermanent) { try store.deleteWorkspace(.default) }
        try store.deleteSecret(ref("team-a/key"))
        try store.deleteWorkspace(teamA)
        #expect(throws: SecretStoreError.workspaceNotFound(teamA)) { try store.deleteWorkspace(teamA) }
        #expect(try store.listWorkspaces().map(\.name) == ["default"])
    }

    @Test func theDatabaseNeverHoldsAValueInPlaintextOrBase64() throws {
        let values = (0..<20).map { "plaintext-marker-\($0)-\(UUID().uuidString)" }
        for (index, value) in values.enumerated() {
            try store.createSecret(ref("s\(index)"), value: SecretValue(value), description: "d")
        }
        for index in 0..<10 { try store.updateSecret(ref("s\(index)"), value: SecretValue(values[index] + "-v2")) }
        let bytes = databaseBytes(in: directory)
        #expect(bytes.count > 0)
        for value in values + values.map({ $0 + "-v2" }) {
            #expect(bytes.range(of: Data(value.utf8)) == nil)
            #expect(bytes.range(of: Data(Data(value.utf8).base64EncodedString().utf8)) == nil)
            // Also any 3-byte-aligned window of the base64, which survives whatever precedes it.
            #expect(bytes.range(of: Data(Data(value.utf8.dropFirst(3)).base64EncodedString().prefix(24).utf8)) == nil)
        }
        #expect(bytes.range(of: Data("plaintext-marker".utf8)) == nil)
    }

    @Test func theDatabaseFileIsPrivate() throws {
        try store.createSecret(ref("x"), value: SecretValue("y"))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("secrets.sqlite"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}
