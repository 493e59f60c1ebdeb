import Injector
import SecretStore
import Testing

/// The masker works on a stream read in arbitrary pieces: a value split anywhere is still hidden, plain output
/// is not delayed, and no more than a pattern prefix is ever held back.
struct StreamingMaskingTests {
    let value = "hf_SuperSecretToken_6d1f0c"

    @Test func aValueSplitAtEveryPossibleBoundaryIsMasked() {
        let text = "token=\(value) and again \(value)!".utf8Bytes
        let expected = "token=**** and again ****!"
        for split in 0...text.count {
            let masked = MaskingHarness.maskInChunks(text, sizes: [split], with: MaskingHarness.masker(for: [value]), expected: expected.utf8Bytes)
            #expect(masked.utf8Text == expected, "split at \(split)")
        }
    }

    @Test func everyPairOfBoundariesIsMasked() {
        let base64 = "aGZfU3VwZXJTZWNyZXRUb2tlbl82ZDFmMGM="  // base64 of the value
        let text = "a \(value) b \(base64) c".utf8Bytes
        let expected = "a **** b **** c"
        for first in 0...text.count {
            for second in 0...(text.count - first) {
                let masked = MaskingHarness.maskInChunks(
                    text, sizes: [first, second], with: MaskingHarness.masker(for: [value]), expected: expected.utf8Bytes)
                #expect(masked.utf8Text == expected, "chunks \(first), \(second), rest")
            }
        }
    }

    /// A step's stdout and stderr maskers share one pattern table; interleaved output on the two streams must
    /// not disturb each other's held-back bytes.
    @Test func twoMaskersSharingPatternsKeepTheirOwnHeldBytes() {
        let stdout = MaskingHarness.masker(for: [value])
        let stderr = OutputMasker(sameSecretsAs: stdout)
        let out = "out \(value) end\n".utf8Bytes
        let err = "err \(value) end\n".utf8Bytes
        var maskedOut: [UInt8] = []
        var maskedErr: [UInt8] = []
        for index in 0..<max(out.count, err.count) {
            if index < out.count { maskedOut += stdout.mask([out[index]]) }
            if index < err.count { maskedErr += stderr.mask([err[index]]) }
        }
        maskedOut += stdout.finish()
        maskedErr += stderr.finish()
        #expect(maskedOut.utf8Text == "out **** end\n")
        #expect(maskedErr.utf8Text == "err **** end\n")
        #expect(stderr.minimumLength == stdout.minimumLength && stderr.patternCount == stdout.patternCount)
    }

    @Test func aValueWrittenOneByteAtATimeIsMasked() {
        let masker = MaskingHarness.masker(for: [value])
        let text = "export HF_TOKEN=\(value)\n".utf8Bytes
        #expect(MaskingHarness.maskBytewise(text, with: masker, expected: "export HF_TOKEN=****\n".utf8Bytes).utf8Text == "export HF_TOKEN=****\n")
    }

    @Test func valuesAtTheVeryStartAndEndOfTheStream() {
        for (text, expected) in [(value, "****"), ("\(value)x", "****x"), ("x\(value)", "x****"), ("\(value)\(value)", "********")] {
            #expect(MaskingHarness.maskWhole(text.utf8Bytes, with: MaskingHarness.masker(for: [value])).utf8Text == expected)
            #expect(MaskingHarness.maskBytewise(text.utf8Bytes, with: MaskingHarness.masker(for: [value])).utf8Text == expected)
        }
    }

    @Test func outputThatStartsLikeAValueButDivergesIsWrittenUnchangedAndComplete() {
        let masker = MaskingHarness.masker(for: [value])
        let almost = String(value.dropLast())
        // All of it could still become the value: held, nothing written yet.
        #expect(masker.mask(almost.utf8Bytes).isEmpty)
        #expect(masker.heldByteCount == almost.utf8.count)
        // One byte that breaks the match releases everything at once, unchanged.
        #expect(masker.mask("X and more\n".utf8Bytes).utf8Text == "\(almost)X and more\n")
        #expect(masker.heldByteCount == 0)
        #expect(masker.finish().isEmpty)
    }

    @Test func aPrefixLeftAtTheEndOfTheStreamIsFlushedByFinish() {
        let masker = MaskingHarness.masker(for: [value])
        let text = "progress 10%\nhf_Super"
        #expect(masker.mask(text.utf8Bytes).utf8Text == "progress 10%\n")
        #expect(masker.heldByteCount == "hf_Super".utf8.count)
        #expect(masker.finish().utf8Text == "hf_Super")
        #expect(masker.heldByteCount == 0)
    }

    @Test func plainOutputIsWrittenAtOnce() {
        let masker = MaskingHarness.masker(for: [value])
        for line in ["epoch 1 loss 0.734\n", "{ \"step\": 12 }\n", "|#####     | 50%\r", "🙂 done\n"] {
            #expect(masker.mask(line.utf8Bytes).utf8Text == line)
            #expect(masker.heldByteCount == 0)
        }
    }

    @Test func nothingIsHeldBeyondTheLongestPattern() {
        let values = [value, "second-secret-ÄÖÜ-value", String(repeating: "z", count: 300)]
        let masker = MaskingHarness.masker(for: values)
        // The longest form is the \uXXXX JSON form or the percent form of one of these values.
        #expect(masker.longestPatternLength > 300)
        var maximumHeld = 0
        // A run of 'z' as long as the longest value minus one is a prefix of it; a longer run holds no more.
        for _ in 0..<1000 {
            _ = masker.mask("z".utf8Bytes)
            #expect(masker.heldByteCount < masker.longestPatternLength)
            maximumHeld = max(maximumHeld, masker.heldByteCount)
        }
        #expect(maximumHeld == 299)
    }

    @Test func theMaskerCanBeReusedAfterFinish() {
        let masker = MaskingHarness.masker(for: [value])
        #expect(MaskingHarness.maskWhole("a \(value)".utf8Bytes, with: masker).utf8Text == "a ****")
        #expect(MaskingHarness.maskWhole("b \(value)".utf8Bytes, with: masker).utf8Text == "b ****")
    }

    @Test func aCustomReplacementIsWritten() {
        let masker = OutputMasker(secrets: [MaskedSecret(label: "default/t", value: SecretValue(value))], replacement: "[hidden]")
        #expect(MaskingHarness.maskWhole("t=\(value);".utf8Bytes, with: masker).utf8Text == "t=[hidden];")
    }
}
