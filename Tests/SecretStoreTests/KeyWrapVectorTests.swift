@preconcurrency import Crypto
import Foundation
import Testing

@testable import SecretStore

/// The `secret_key` provider is interoperable with the reference: it unwraps every vector in
/// `shared/testdata/kek-wrap-vectors.json` and rejects the invalid ones.
struct KeyWrapVectorTests {
    struct Vector: Decodable {
        let key: String
        let wrapped: String
        let dek_base64: String?
        let valid: Bool
    }

    struct VectorFile: Decodable {
        let vectors: [Vector]
    }

    static let vectors: [Vector] = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = repository.appendingPathComponent("../shared/testdata/kek-wrap-vectors.json").standardized
        guard let data = try? Data(contentsOf: file) else {
            fatalError("missing test vectors at \(file.path): check out shared/ beside the repository")
        }
        return try! JSONDecoder().decode(VectorFile.self, from: data).vectors
    }()

    @Test func theVectorFileHasValidAndInvalidCases() {
        #expect(Self.vectors.filter(\.valid).count >= 4)
        #expect(Self.vectors.filter { !$0.valid }.count >= 2)
    }

    @Test(arguments: vectors.indices)
    func unwrapsValidVectorsAndRejectsInvalidOnes(_ index: Int) throws {
        let vector = Self.vectors[index]
        let provider = try SecretKeyProvider(
            name: "v\(index)", keyMaterial: SymmetricKey(data: Data(base64Encoded: vector.key)!))
        let wrapped = Data(base64Encoded: vector.wrapped)!
        if vector.valid {
            let dataKey = try provider.unwrap(wrapped)
            let text = dataKey.withUnsafeBytes { Data($0).base64EncodedString() }
            #expect(text == vector.dek_base64)
        } else {
            #expect(throws: KeyUnwrapError.self) { try provider.unwrap(wrapped) }
        }
    }

    @Test func wrappingProducesTheReferenceLayoutWithAFreshSaltEachTime() throws {
        let provider = makeProvider("v1")
        let dataKey = SymmetricKey(size: .bits256)
        let first = try provider.wrap(dataKey)
        let second = try provider.wrap(dataKey)
        #expect(first.count == 16 + 12 + 44 + 16)
        #expect(first != second)
        #expect(first.prefix(16) != second.prefix(16))
        let recovered = try provider.unwrap(second)
        #expect(recovered == dataKey)
    }

    @Test func ourWrapsUnwrapWithTheReferenceConstructionDoneByHand() throws {
        let key = SymmetricKey(size: .bits256)
        let wrapped = try makeProvider("v1", key: key).wrap(SymmetricKey(size: .bits256))
        let wrappingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, salt: wrapped.prefix(16), info: Data(), outputByteCount: 32)
        let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: wrapped.dropFirst(16)), using: wrappingKey)
        #expect(Data(base64Encoded: plaintext)?.count == 32)
    }

    @Test func theDirectExpandStepEqualsTheLibrarysHKDF() throws {
        for _ in 0..<50 {
            let key = SymmetricKey(size: SymmetricKeySize(bitCount: [256, 384, 512].randomElement()!))
            let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
            let expected = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: salt, info: Data(), outputByteCount: 32)
            #expect(makeProvider("v", key: key).wrappingKey(salt: salt) == expected)
        }
    }

    @Test func truncatedOrWrongKeyWrapsAreRejectedWithoutCrashing() throws {
        let provider = makeProvider("v1")
        let wrapped = try provider.wrap(SymmetricKey(size: .bits256))
        #expect(throws: KeyUnwrapError.self) { try provider.unwrap(Data()) }
        #expect(throws: KeyUnwrapError.self) { try provider.unwrap(wrapped.prefix(40)) }
        #expect(throws: KeyUnwrapError.self) { try makeProvider("v1").unwrap(wrapped) }
    }

    @Test func keysUnder32BytesAreRefused() {
        #expect(throws: SecretStoreError.self) {
            try SecretKeyProvider(name: "short", keyMaterial: SymmetricKey(size: .bits128))
        }
    }
}
