import Injector
import SecretStore
import Testing

/// Short values, multi-line values, non-ASCII values and no values at all each behave as the runner needs.
struct ValueShapeTests {
    @Test func valuesBelowTheMinimumAreNotMaskedAndAreReported() {
        let masker = OutputMasker(secrets: [
            MaskedSecret(label: "default/x", value: SecretValue("abc")),
            MaskedSecret(label: "default/long-enough", value: SecretValue("abcdef")),
            MaskedSecret(label: "team/empty", value: SecretValue("")),
        ])
        #expect(masker.unmaskedShortSecrets == ["default/x", "team/empty"])
        #expect(
            masker.unmaskedShortSecretWarnings == [
                "secret default/x is 3 bytes, shorter than the masking minimum 6: not masked",
                "secret team/empty is 0 bytes, shorter than the masking minimum 6: not masked",
            ])
        #expect(MaskingHarness.maskWhole("abc abcdef abcd".utf8Bytes, with: masker).utf8Text == "abc **** abcd")
    }

    @Test func theMinimumIsConfigurable() {
        let lenient = MaskingHarness.masker(for: ["abc"], minimumLength: 3)
        #expect(lenient.unmaskedShortSecrets.isEmpty)
        #expect(MaskingHarness.maskWhole("xabcx".utf8Bytes, with: lenient).utf8Text == "x****x")

        let strict = MaskingHarness.masker(for: ["abcdef"], minimumLength: 10)
        #expect(strict.unmaskedShortSecrets == ["default/secret-0"])
        #expect(MaskingHarness.maskWhole("abcdef".utf8Bytes, with: strict).utf8Text == "abcdef")
    }

    @Test func oneByteValuesWorkWhenTheMinimumAllowsThem() {
        let masker = MaskingHarness.masker(for: ["q"], minimumLength: 1)
        #expect(MaskingHarness.maskBytewise("aqbqq".utf8Bytes, with: masker).utf8Text == "a****b********")
    }

    @Test func aMultiLineValueIsMaskedWholeAndLineByLine() {
        let key = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
            VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu
            ok
            -----END PRIVATE KEY-----

            """
        let masker = MaskingHarness.masker(for: [key])
        #expect(MaskingHarness.maskWhole("key:\n\(key)done".utf8Bytes, with: masker).utf8Text == "key:\n****done")

        // Printed with CRLF line endings, each line of six bytes or more is hidden on its own; "ok" is too short.
        let crlf = key.replacingOccurrences(of: "\n", with: "\r\n")
        let expected = "****\r\n****\r\n****\r\nok\r\n****\r\n"
        #expect(MaskingHarness.maskWhole(crlf.utf8Bytes, with: MaskingHarness.masker(for: [key])).utf8Text == expected)
        #expect(MaskingHarness.maskBytewise(crlf.utf8Bytes, with: MaskingHarness.masker(for: [key])).utf8Text == expected)

        // A line logged inside JSON by Swift (which writes `/` as `\/`) is hidden too.
        let jsonLine = #"{"line":"VJTUt9Us8cKjMzEfYyjiWA4R4\/M2bS1GB4t7NXp98C3SC6dVMvDu"}"#
        #expect(MaskingHarness.maskWhole(jsonLine.utf8Bytes, with: masker).utf8Text == #"{"line":"****"}"#)
    }

    @Test func aValueWithATrailingNewlineIsMaskedWithoutIt() {
        // Tokens read from files often end with a newline that the program strips before printing.
        let masker = MaskingHarness.masker(for: ["tok-1234567\n"])
        #expect(MaskingHarness.maskWhole("Bearer tok-1234567 ok".utf8Bytes, with: masker).utf8Text == "Bearer **** ok")
    }

    @Test func multibyteUTF8ValuesAreMaskedAcrossSplitCharacters() {
        let value = "пароль-🔑-密码"
        let text = "→ \(value) ←".utf8Bytes
        for split in 0...text.count {
            let masked = MaskingHarness.maskInChunks(text, sizes: [split], with: MaskingHarness.masker(for: [value]))
            #expect(masked.utf8Text == "→ **** ←", "split at \(split)")
        }
        // A different character sharing the first bytes of a multi-byte sequence is left intact.
        let near = "пароль-🔒-密码"
        #expect(MaskingHarness.maskBytewise(near.utf8Bytes, with: MaskingHarness.masker(for: [value])) == near.utf8Bytes)
    }

    @Test func withNoSecretsEveryByteGoesThroughUnchanged() {
        let masker = OutputMasker(secrets: [])
        let everyByte = (0...255).map { UInt8($0) } + Array("\u{1b}[31mred\u{1b}[0m\r\n".utf8)
        #expect(masker.mask(everyByte) == everyByte)
        #expect(masker.heldByteCount == 0)
        #expect(masker.finish().isEmpty)
        #expect(masker.patternCount == 0)
    }

    @Test func onlyShortSecretsMeansPassThrough() {
        let masker = MaskingHarness.masker(for: ["ab", "cd"])
        #expect(MaskingHarness.maskBytewise("abcdabcd".utf8Bytes, with: masker).utf8Text == "abcdabcd")
    }

    @Test func bytesThatAreNotUTF8AreMaskedByTheirRawForm() {
        let value: [UInt8] = [0xFF, 0xFE, 0x00, 0x01, 0x80, 0x41]
        let masker = OutputMasker(secrets: [MaskedSecret(label: "default/binary", value: SecretValue(bytes: value))])
        #expect(MaskingHarness.maskBytewise([0x20] + value + [0x20], with: masker) == Array(" **** ".utf8))
    }
}
