import Injector
import SecretStore
import Testing

/// Ways of feeding text through a fresh masker, so tests can compare whole-stream and chunked results.
enum MaskingHarness {
    /// A masker for `values`, labelled `default/secret-N` in order.
    static func masker(for values: [String], minimumLength: Int = OutputMasker.defaultMinimumLength) -> OutputMasker {
        OutputMasker(
            secrets: values.enumerated().map { MaskedSecret(label: "default/secret-\($0.offset)", value: SecretValue($0.element)) },
            minimumLength: minimumLength)
    }

    /// The whole text in one chunk, then the end of the stream.
    static func maskWhole(_ text: [UInt8], with masker: OutputMasker) -> [UInt8] {
        masker.mask(text) + masker.finish()
    }

    /// The text in chunks of the given sizes (the last chunk takes whatever is left), then the end of the stream.
    ///
    /// Along the way it checks the streaming promises: what has been written is always final (a prefix of
    /// `expected`), and nothing beyond a pattern prefix is ever held.
    static func maskInChunks(
        _ text: [UInt8], sizes: [Int], with masker: OutputMasker, expected: [UInt8]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [UInt8] {
        var output = [UInt8]()
        var offset = 0
        var sizeIndex = 0
        while offset < text.count {
            let size = sizeIndex < sizes.count ? sizes[sizeIndex] : text.count - offset
            sizeIndex += 1
            let end = min(offset + max(size, 0), text.count)
            output += masker.mask(Array(text[offset..<end]))
            offset = end
            checkStreamingBounds(masker, output: output, expected: expected, sourceLocation: sourceLocation)
        }
        return output + masker.finish()
    }

    /// One byte per call, the way a child that flushes after every character is read.
    static func maskBytewise(
        _ text: [UInt8], with masker: OutputMasker, expected: [UInt8]? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [UInt8] {
        maskInChunks(text, sizes: Array(repeating: 1, count: text.count), with: masker, expected: expected, sourceLocation: sourceLocation)
    }

    private static func checkStreamingBounds(
        _ masker: OutputMasker, output: [UInt8], expected: [UInt8]?, sourceLocation: SourceLocation
    ) {
        #expect(masker.heldByteCount < max(masker.longestPatternLength, 1), sourceLocation: sourceLocation)
        if let expected {
            #expect(output.count <= expected.count && Array(expected[0..<output.count]) == output, sourceLocation: sourceLocation)
        }
    }
}

extension String {
    /// The UTF-8 bytes, the unit the masker works in.
    var utf8Bytes: [UInt8] { Array(utf8) }
}

extension Array where Element == UInt8 {
    /// The bytes as text, for readable expectations (invalid UTF-8 shows as U+FFFD).
    var utf8Text: String { String(decoding: self, as: UTF8.self) }

}
