import Testing

@testable import SecretStore

/// Names and references follow DESIGN.md exactly: ASCII `[A-Za-z0-9._-]{1,255}`, `workspace/name` or `name`.
struct ResourceNameTests {
    @Test func acceptsEveryAllowedCharacterAndTheLongestName() throws {
        _ = try SecretName("hf-token")
        _ = try SecretName("wandb.key.production")
        _ = try SecretName("HF_TOKEN")
        _ = try SecretName("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-")
        _ = try SecretName(".")
        #expect(try SecretName(String(repeating: "a", count: 255)).rawValue.count == 255)
        #expect(try WorkspaceName(String(repeating: "w", count: 255)).rawValue.count == 255)
    }

    @Test func rejects256Characters() {
        #expect(throws: SecretStoreError.self) { try SecretName(String(repeating: "a", count: 256)) }
        #expect(throws: SecretStoreError.self) { try WorkspaceName(String(repeating: "a", count: 256)) }
    }

    @Test func rejectsTheEmptyName() {
        #expect(throws: SecretStoreError.self) { try SecretName("") }
    }

    /// Every ASCII character outside `[A-Za-z0-9._-]`.
    static let forbiddenASCII: [Unicode.Scalar] = (0...127).compactMap { (code: Int) -> Unicode.Scalar? in
        let scalar = Unicode.Scalar(UInt8(code))
        let allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars
        return allowed.contains(scalar) ? nil : scalar
    }

    @Test func thereAre63ForbiddenASCIICharacters() {
        #expect(Self.forbiddenASCII.count == 128 - 65)
    }

    @Test(arguments: forbiddenASCII)
    func rejectsEveryForbiddenASCIICharacter(_ scalar: Unicode.Scalar) {
        let name = "ab" + String(Character(scalar)) + "cd"
        do {
            _ = try SecretName(name)
            Issue.record("accepted \(scalar.value)")
        } catch let error as SecretStoreError {
            #expect(error.description.contains("position 3"), "message: \(error)")
            #expect(error.category == .invalidInput)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: ["héllo", "ключ", "名前", "naïve", "a\u{0301}", "tab\u{00A0}"])
    func rejectsUnicodeLettersAndLookalikes(_ name: String) {
        #expect(throws: SecretStoreError.self) { try SecretName(name) }
        #expect(throws: SecretStoreError.self) { try WorkspaceName(name) }
    }

    @Test func theReferenceServicesTrailingNewlineNameIsRejectedAndShownEscaped() {
        do {
            _ = try SecretName("abc\n")
            Issue.record("accepted a newline")
        } catch {
            #expect("\(error)".contains("abc\\n"))
            #expect(!"\(error)".contains("abc\n"))
        }
    }

    @Test func referencesParseBothForms() throws {
        let full = try SecretReference(parsing: "team-a/wandb.key.production")
        #expect(full.workspace.rawValue == "team-a")
        #expect(full.name.rawValue == "wandb.key.production")
        #expect(full.description == "team-a/wandb.key.production")

        let bare = try SecretReference(parsing: "hf-token")
        #expect(bare.workspace == .default)
        #expect(bare.description == "default/hf-token")

        let elsewhere = try SecretReference(parsing: "hf-token", defaultWorkspace: WorkspaceName("team-b"))
        #expect(elsewhere.description == "team-b/hf-token")
    }

    @Test(arguments: ["", "/", "a/", "/b", "a/b/c", "a b/c", "a/b c", "ws/na\u{e9}me"])
    func malformedReferencesAreRejected(_ text: String) {
        #expect(throws: SecretStoreError.self) { try SecretReference(parsing: text) }
    }
}
