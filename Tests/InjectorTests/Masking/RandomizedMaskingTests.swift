import Injector
import SecretStore
import Testing

/// Seeded random texts full of values, encoded values, near misses and prefixes, cut into random chunks: the
/// streaming result always equals masking the whole text at once, and both equal a plain reference masker.
struct RandomizedMaskingTests {
    private static let valueCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~".utf8)

    /// Values made of characters that percent-encoding and JSON leave alone, so ``KnownForms`` lists every form;
    /// some extend others and some share prefixes, and one is too short to be masked.
    private static func randomValues(using random: inout SplitMixRandom) -> [String] {
        func randomValue(length: Int) -> String {
            String(decoding: (0..<length).map { _ in valueCharacters.randomElement(using: &random)! }, as: UTF8.self)
        }
        let base = randomValue(length: Int.random(in: 6...12, using: &random))
        return [
            base,
            base + randomValue(length: Int.random(in: 1...8, using: &random)),  // the base is a prefix of it
            String(base.prefix(4)) + randomValue(length: Int.random(in: 4...10, using: &random)),  // shares a prefix
            randomValue(length: Int.random(in: 6...30, using: &random)),
            randomValue(length: 3),  // too short: never masked
        ]
    }

    /// A text of random printable filler, forms of the values, forms cut short, and forms with one byte changed.
    private static func randomText(forms: [[UInt8]], using random: inout SplitMixRandom) -> [UInt8] {
        var text = [UInt8]()
        for _ in 0..<Int.random(in: 1...12, using: &random) {
            let form = forms.randomElement(using: &random)!
            switch Int.random(in: 0..<5, using: &random) {
            case 0: text += form
            case 1: text += form.prefix(Int.random(in: 1...form.count, using: &random))
            case 2:
                var changed = form
                changed[Int.random(in: 0..<form.count, using: &random)] = UInt8.random(in: 0x20...0x7E, using: &random)
                text += changed
            default:
                text += (0..<Int.random(in: 0...6, using: &random)).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }
            }
        }
        return text
    }

    private static func randomChunkSizes(total: Int, using random: inout SplitMixRandom) -> [Int] {
        var sizes = [Int]()
        var covered = 0
        while covered < total {
            let size = Int.random(in: 0...max(1, total / 3), using: &random)
            sizes.append(size)
            covered += size
        }
        return sizes
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func streamingEqualsWholeTextAndTheReference(seed: UInt64) {
        var random = SplitMixRandom(seed: seed)
        for _ in 0..<60 {
            let values = Self.randomValues(using: &random)
            let maskedValues = values.filter { $0.utf8.count >= OutputMasker.defaultMinimumLength }
            let forms = maskedValues.flatMap(KnownForms.ofUnreservedValue)
            let reference = ReferenceMasker(patterns: forms)
            let text = Self.randomText(forms: forms + [Array(values.last!.utf8)], using: &random)
            let expected = reference.mask(text)

            #expect(MaskingHarness.maskWhole(text, with: MaskingHarness.masker(for: values)) == expected, "seed \(seed): \(text.utf8Text)")
            for _ in 0..<4 {
                let masker = MaskingHarness.masker(for: values)
                let sizes = Self.randomChunkSizes(total: text.count, using: &random)
                var output = [UInt8]()
                var consumed = 0
                for size in sizes where consumed < text.count {
                    let end = min(consumed + size, text.count)
                    output += masker.mask(Array(text[consumed..<end]))
                    consumed = end
                    // Written output is final, and what is held is exactly a pattern prefix at the end of the input.
                    #expect(expected.starts(with: output), "seed \(seed): chunks \(sizes) of \(text.utf8Text)")
                    let held = text[(consumed - masker.heldByteCount)..<consumed]
                    #expect(held.isEmpty || reference.isProperPrefixOfAPattern(held), "seed \(seed): held \(Array(held).utf8Text)")
                }
                output += masker.finish()
                #expect(output == expected, "seed \(seed): chunks \(sizes) of \(text.utf8Text)")
            }
        }
    }

    @Test func eightMebibytesOfRandomPrintableTextWithEmbeddedValues() {
        var random = SplitMixRandom(seed: 2024)
        let values = (0..<20).map { _ in
            String(
                decoding: (0..<Int.random(in: 16...40, using: &random)).map { _ in Self.valueCharacters.randomElement(using: &random)! },
                as: UTF8.self)
        }
        let forms = values.flatMap(KnownForms.ofUnreservedValue)
        var text = [UInt8]()
        text.reserveCapacity(8 << 20 + 4096)
        var embedded = 0
        while text.count < 8 << 20 {
            // Eight printable filler bytes per random number keeps building the text quick in debug builds.
            for _ in 0..<Int.random(in: 0...512, using: &random) {
                var bits = random.next()
                for _ in 0..<8 {
                    text.append(0x20 + UInt8(bits % 95))
                    bits /= 95
                }
            }
            text += forms.randomElement(using: &random)!
            embedded += 1
        }
        let expected = ReferenceMasker(patterns: forms).mask(text)
        // Each embedded form (at least 16 bytes) became four.
        #expect(expected.count <= text.count - embedded * 12)

        let masker = MaskingHarness.masker(for: values)
        var output = [UInt8]()
        var offset = 0
        while offset < text.count {
            let end = min(offset + Int.random(in: 1...(128 << 10), using: &random), text.count)
            text.withUnsafeBytes { output += masker.mask(UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }
            offset = end
        }
        output += masker.finish()
        #expect(output == expected)
        #expect(output.count == expected.count)
    }
}
