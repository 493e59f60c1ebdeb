import Injector
import SecretStore
import Testing

/// The masker holds every value in plain text, so printing or dumping it must show none of them.
struct MaskerRedactionTests {
    @Test func descriptionAndDumpNeverShowAValue() {
        let value = "hf_VerySecretToken_4242"
        let base64 = "aGZfVmVyeVNlY3JldFRva2VuXzQyNDI="
        let masker = OutputMasker(secrets: [MaskedSecret(label: "default/hf-token", value: SecretValue(value))])
        // Hold part of the value too, so the held bytes are also checked.
        _ = masker.mask("hf_VerySecret".utf8Bytes)
        #expect(masker.heldByteCount > 0)
        var dumped = ""
        dump(masker, to: &dumped)
        let renderings = [
            masker.description, masker.debugDescription, "\(masker)", String(reflecting: masker), dumped,
            "\([masker])", "\(Optional(masker) as Any)",
        ]
        for rendering in renderings {
            #expect(!rendering.contains("hf_"), "leaked in: \(rendering)")
            #expect(!rendering.contains("VerySecret"), "leaked in: \(rendering)")
            #expect(!rendering.contains(String(base64.prefix(12))), "leaked in: \(rendering)")
        }
        #expect(Mirror(reflecting: masker).children.isEmpty)
    }

    @Test func maskedSecretShowsItsLabelButNotItsValue() {
        let secret = MaskedSecret(label: "default/hf-token", value: SecretValue("hf_VerySecretToken_4242"))
        var dumped = ""
        dump(secret, to: &dumped)
        for rendering in ["\(secret)", String(reflecting: secret), dumped] {
            #expect(!rendering.contains("VerySecret"), "leaked in: \(rendering)")
        }
    }
}
