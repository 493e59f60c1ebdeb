#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces every injected secret value in a stream of child output with `****`, also its base64, base64url,
/// percent-encoded and JSON-escaped forms, and the lines of a multi-line value.
///
/// It streams: text that cannot be the start of a secret is returned at once, and only a trailing piece that is
/// a proper prefix of some form is held back until the next chunk (or ``finish()``) decides it, so a value
/// written one byte at a time is still hidden. Where forms overlap, the leftmost match wins, and among matches at
/// the same position the longest. Use one masker per stream; it is not thread-safe.
public final class OutputMasker {
    /// Values shorter than this many bytes are not masked by default, because hiding them would shred ordinary words.
    public static let defaultMinimumLength = 6

    /// The length below which a value is left unmasked (and reported in ``unmaskedShortSecrets``).
    public let minimumLength: Int
    /// Labels of the secrets too short to mask, in the order given, so the runner can warn about each by name.
    public let unmaskedShortSecrets: [String]
    /// One warning line per secret in ``unmaskedShortSecrets``, naming it and its length, never its value.
    public let unmaskedShortSecretWarnings: [String]

    private let patterns: MaskPatternTable
    private let replacement: [UInt8]
    /// Holds the bytes kept back from the previous chunk at its start, followed by the head of the next chunk
    /// while that chunk is being decided; wiped whenever bytes leave it.
    private let window: UnsafeMutableRawBufferPointer
    private var heldCount = 0

    /// A masker hiding every value of `secrets` that has at least `minimumLength` bytes, writing `replacement`
    /// in its place.
    public init(
        secrets: [MaskedSecret], minimumLength: Int = OutputMasker.defaultMinimumLength, replacement: String = "****"
    ) {
        let minimumLength = max(minimumLength, 1)
        self.minimumLength = minimumLength
        self.replacement = Array(replacement.utf8)
        var forms = [[UInt8]]()
        for secret in secrets where secret.value.count >= minimumLength {
            forms += secret.value.withUnsafeBytes { SecretForms.forms(of: $0, minimumLength: minimumLength) }
        }
        patterns = MaskPatternTable(patterns: forms)
        for index in forms.indices { forms[index].wipe() }
        (unmaskedShortSecrets, unmaskedShortSecretWarnings) = Self.shortSecrets(secrets, minimumLength: minimumLength)
        window = UnsafeMutableRawBufferPointer.allocate(byteCount: max(2 * patterns.longestLength, 1), alignment: 1)
        window.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// The warning lines a masker for `secrets` would give (``unmaskedShortSecretWarnings``), without building
    /// it: the runner reports them before the child starts and builds the masker while the child starts.
    public static func unmaskedShortSecretWarnings(for secrets: [MaskedSecret], minimumLength: Int) -> [String] {
        shortSecrets(secrets, minimumLength: max(minimumLength, 1)).warnings
    }

    /// The labels of the values too short to mask, each once, and a warning for each.
    private static func shortSecrets(
        _ secrets: [MaskedSecret], minimumLength: Int
    ) -> (labels: [String], warnings: [String]) {
        var labels = [String]()
        var warnings = [String]()
        for secret in secrets where secret.value.count < minimumLength && !labels.contains(secret.label) {
            labels.append(secret.label)
            warnings.append(
                "secret \(secret.label) is \(secret.value.count) bytes, shorter than the masking minimum "
                    + "\(minimumLength): not masked")
        }
        return (labels, warnings)
    }

    /// A masker for another stream hiding exactly what `other` hides: it shares the immutable pattern table, so
    /// a step's second stream costs no second derivation of every secret's encoded forms, and has its own window.
    public init(sameSecretsAs other: OutputMasker) {
        minimumLength = other.minimumLength
        replacement = other.replacement
        unmaskedShortSecrets = other.unmaskedShortSecrets
        unmaskedShortSecretWarnings = other.unmaskedShortSecretWarnings
        patterns = other.patterns
        window = UnsafeMutableRawBufferPointer.allocate(byteCount: other.window.count, alignment: 1)
        window.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        memset(window.baseAddress!, 0, window.count)
        window.deallocate()
    }

    /// How many bytes are held back now, waiting for more output to tell whether they begin a secret;
    /// always less than ``longestPatternLength``.
    public var heldByteCount: Int { heldCount }

    /// The length of the longest form being masked, which bounds what the masker ever holds back.
    public var longestPatternLength: Int { patterns.longestLength }

    /// How many distinct byte sequences (values, encodings and lines) are being masked.
    public var patternCount: Int { patterns.count }

    /// Masks the next chunk of the stream and returns what can be written now.
    public func mask(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(chunk.count + heldCount)
        if patterns.count == 0 {
            output.append(contentsOf: chunk)
            return output
        }
        guard heldCount > 0 else {
            scanHoldingTail(chunk, from: 0, into: &output)
            return output
        }
        // Decide the held bytes with just enough of the new chunk after them (one longest pattern) that every
        // decision there is final, then go on in the chunk itself without copying it.
        let previouslyHeld = heldCount
        let headCount = min(chunk.count, patterns.longestLength)
        UnsafeMutableRawBufferPointer(rebasing: window[previouslyHeld..<previouslyHeld + headCount])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk[0..<headCount]))
        let joined = UnsafeRawBufferPointer(rebasing: window[0..<previouslyHeld + headCount])
        switch scan(joined, from: 0, limit: previouslyHeld, atEndOfText: false, into: &output) {
        case let .heldFrom(position):
            // Only possible when the whole chunk fit into the window: the tail is shorter than a pattern.
            holdTail(of: joined, from: position)
            memset(window.baseAddress! + heldCount, 0, joined.count - heldCount)
        case let .reached(position):
            wipeWindow(count: joined.count)
            heldCount = 0
            scanHoldingTail(chunk, from: position - previouslyHeld, into: &output)
        }
        return output
    }

    /// Masks the next chunk of the stream and returns what can be written now.
    public func mask(_ chunk: [UInt8]) -> [UInt8] {
        chunk.withUnsafeBytes { mask($0) }
    }

    /// Ends the stream: decides the held bytes knowing that nothing follows and returns them, masked where they
    /// hold a complete form. The masker is then empty and could start a new stream.
    public func finish() -> [UInt8] {
        guard heldCount > 0 else { return [] }
        var output = [UInt8]()
        let held = UnsafeRawBufferPointer(rebasing: window[0..<heldCount])
        _ = scan(held, from: 0, limit: held.count, atEndOfText: true, into: &output)
        wipeWindow(count: heldCount)
        heldCount = 0
        return output
    }

    /// Where a scan stopped.
    private enum ScanEnd {
        /// Every position before this one is decided and written (a match may end past the limit).
        case reached(Int)
        /// The text from this position to its end may begin a pattern and was not written.
        case heldFrom(Int)
    }

    /// Decides positions `start..<limit` of `text`, appending literal bytes and replacements to `output`.
    private func scan(
        _ text: UnsafeRawBufferPointer, from start: Int, limit: Int, atEndOfText: Bool, into output: inout [UInt8]
    ) -> ScanEnd {
        var literalStart = start
        var position = start
        while position < limit {
            position = patterns.firstPossibleStart(in: text, from: position, limit: limit)
            guard position < limit else { break }
            switch patterns.decision(at: position, in: text, atEndOfText: atEndOfText) {
            case .noMatch:
                position += 1
            case let .match(length):
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[literalStart..<position]))
                output.append(contentsOf: replacement)
                position += length
                literalStart = position
            case .needsMoreText:
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[literalStart..<position]))
                return .heldFrom(position)
            }
        }
        if position > literalStart {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[literalStart..<position]))
        }
        return .reached(position)
    }

    /// Scans the rest of a chunk to its end and keeps back the tail that may begin a pattern.
    private func scanHoldingTail(_ chunk: UnsafeRawBufferPointer, from start: Int, into output: inout [UInt8]) {
        if case let .heldFrom(position) = scan(chunk, from: start, limit: chunk.count, atEndOfText: false, into: &output) {
            holdTail(of: chunk, from: position)
        }
    }

    /// Moves `text[position...]` to the start of the window; `text` may itself lie in the window.
    private func holdTail(of text: UnsafeRawBufferPointer, from position: Int) {
        let tailCount = text.count - position
        precondition(tailCount < patterns.longestLength, "the masker held more than a pattern prefix")
        memmove(window.baseAddress!, text.baseAddress! + position, tailCount)
        heldCount = tailCount
    }

    private func wipeWindow(count: Int) {
        memset(window.baseAddress!, 0, count)
    }
}

extension OutputMasker: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Counts only: the masker holds plaintext patterns and possibly part of a value.
    public var description: String {
        "OutputMasker(patterns: \(patternCount), minimumLength: \(minimumLength), held: \(heldCount) bytes)"
    }
    /// The same counts, also in debuggers and `debugPrint`.
    public var debugDescription: String { description }
    /// Hides the patterns and held bytes from `dump` and `Mirror`.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
