import Foundation
import Injector
import SecretStore
import Testing

/// Every spelling in which a program may print a value is hidden: the forms come from the real Python and from
/// Foundation, not from the masker's own encoders.
struct EncodedFormMaskingTests {
    static let values = [
        "p@ss/wörd+\"q\" \\ 😀\ttab=?&~_.-",
        "first-line-abc\r\nsecond/line+xyz\n",
        "abcdef1",
        "abcdef12",
        "abcdef123",
        "ключ доступа: 🔑",
        "ctrl\u{1}\u{8}\u{c}\u{7f}chars",
    ]

    @Test(arguments: values)
    func everyPythonFormIsMasked(value: String) throws {
        let forms = try KnownForms.fromPython(of: value)
        #expect(forms.count == 11)
        for (name, form) in forms.sorted(by: { $0.key < $1.key }) {
            let text = "before[".utf8Bytes + form + "]after".utf8Bytes
            let masked = MaskingHarness.maskWhole(text, with: MaskingHarness.masker(for: [value]))
            #expect(masked.utf8Text == "before[****]after", "form \(name)")
            let bytewise = MaskingHarness.maskBytewise(text, with: MaskingHarness.masker(for: [value]))
            #expect(bytewise.utf8Text == "before[****]after", "form \(name), one byte at a time")
        }
    }

    @Test(arguments: values)
    func swiftJSONEncoderFormIsMasked(value: String) throws {
        let form = try KnownForms.swiftJSONBody(of: value)
        let text = "{\"token\":\"".utf8Bytes + form + "\"}".utf8Bytes
        #expect(MaskingHarness.maskWhole(text, with: MaskingHarness.masker(for: [value])).utf8Text == "{\"token\":\"****\"}")
    }

    @Test func upperCaseUnicodeEscapesAndEscapedSlashesAreMaskedToo() {
        // Other JSON writers: upper-case hex (Jackson) and `\/` with `\uXXXX` (PHP's json_encode).
        let value = "clé/secrète"
        for form in [#"cl\u00E9/secr\u00E8te"#, #"cl\u00e9\/secr\u00e8te"#, #"cl\u00E9\/secr\u00E8te"#, #"clé\/secrète"#] {
            #expect(MaskingHarness.maskWhole(form.utf8Bytes, with: MaskingHarness.masker(for: [value])).utf8Text == "****", "form \(form)")
        }
    }

    @Test func formsEqualToTheRawValueAreCountedOnce() {
        // Percent-encoding and JSON leave "abcdefghi" alone, and its base64 has no padding and no `+/`.
        #expect(MaskingHarness.masker(for: ["abcdefghi"]).patternCount == 2)
        // The same value given twice (two references to one secret) adds nothing.
        #expect(MaskingHarness.masker(for: ["abcdefghi", "abcdefghi"]).patternCount == 2)
    }

    @Test func formsOfEveryValueAreMaskedInOneStream() throws {
        let values = ["hf_FirstToken_0001", "wandb-second-key-0002", "third/value+0003"]
        let masker = MaskingHarness.masker(for: values)
        var text = [UInt8]()
        var expected = ""
        for value in values {
            for (_, form) in try KnownForms.fromPython(of: value).sorted(by: { $0.key < $1.key }) {
                text += "x ".utf8Bytes + form + "\n".utf8Bytes
                expected += "x ****\n"
            }
        }
        #expect(MaskingHarness.maskWhole(text, with: masker).utf8Text == expected)
    }
}
