import Injector
import Testing

/// When values overlap, the leftmost match wins, and among matches at one position the longest: so no piece of
/// a longer value is left showing because a shorter one matched first.
struct OverlappingValuesTests {
    /// Checks whole-stream, one-byte-at-a-time and every two-chunk split against the same expectation.
    private func expectMasked(_ text: String, values: [String], as expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            MaskingHarness.maskWhole(text.utf8Bytes, with: MaskingHarness.masker(for: values)).utf8Text == expected, sourceLocation: sourceLocation)
        #expect(
            MaskingHarness.maskBytewise(text.utf8Bytes, with: MaskingHarness.masker(for: values), expected: expected.utf8Bytes).utf8Text == expected,
            sourceLocation: sourceLocation)
        for split in 0...text.utf8.count {
            let masked = MaskingHarness.maskInChunks(
                text.utf8Bytes, sizes: [split], with: MaskingHarness.masker(for: values), expected: expected.utf8Bytes, sourceLocation: sourceLocation
            )
            #expect(masked.utf8Text == expected, "split at \(split)", sourceLocation: sourceLocation)
        }
    }

    @Test func aValueThatIsAPrefixOfAnotherLetsTheLongerOneWin() {
        let values = ["secret-token", "secret-token-long"]
        expectMasked("a secret-token-long b", values: values, as: "a **** b")
        expectMasked("a secret-token-lon b", values: values, as: "a ****-lon b")
        expectMasked("a secret-token b", values: values, as: "a **** b")
        expectMasked("secret-token", values: values, as: "****")
        expectMasked("secret-token-long", values: values, as: "****")
    }

    @Test func twoValuesSharingAPrefixAreEachMasked() {
        let values = ["shared-prefix-alpha", "shared-prefix-beta"]
        expectMasked("1 shared-prefix-alpha 2 shared-prefix-beta 3", values: values, as: "1 **** 2 **** 3")
        expectMasked("shared-prefix-gamma", values: values, as: "shared-prefix-gamma")
    }

    @Test func whereTwoValuesOverlapTheLeftmostWins() {
        let values = ["aaaa-bbbb", "bbbb-cccc"]
        expectMasked("aaaa-bbbb-cccc", values: values, as: "****-cccc")
        expectMasked("xaaaa-bbbb-cccc", values: values, as: "x****-cccc")
        expectMasked("aaaa-bbb-bbbb-cccc", values: values, as: "aaaa-bbb-****")
    }

    @Test func aValueNestedInsideAnotherIsMaskedAloneAndInside() {
        let values = ["outer-inner1-outer", "inner1"]
        expectMasked("outer-inner1-outer", values: values, as: "****")
        expectMasked("the inner1 alone", values: values, as: "the **** alone")
        expectMasked("outer-inner1-oute", values: values, as: "outer-****-oute")
    }

    @Test func repeatedPrefixesDoNotHideALaterMatch() {
        // Each "abab" restarts a possible match one position later.
        let values = ["ababababc"]
        expectMasked("abababababababc!", values: values, as: "ababab****!")
    }
}
