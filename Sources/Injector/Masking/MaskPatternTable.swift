#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The byte patterns an ``OutputMasker`` hides, stored once each in memory this table owns and wipes on release.
///
/// Lookups are built for output that mostly holds no secret: a bit per possible pair of leading bytes rejects
/// almost every position at once, and only positions that pass are compared with the few patterns that start
/// with the same byte, longest first.
final class MaskPatternTable {
    /// What the patterns say about the text at one position.
    enum Decision: Equatable {
        /// No pattern starts here.
        case noMatch
        /// The longest pattern that starts here has `length` bytes, and no longer pattern can still match.
        case match(length: Int)
        /// The text from here to its end is a proper prefix of a pattern: only more text can decide.
        case needsMoreText
    }

    /// All pattern bytes back to back.
    private let storage: UnsafeMutableRawBufferPointer
    /// Where each pattern starts in ``storage``.
    private let offsets: [Int]
    /// How many bytes each pattern has.
    private let lengths: [Int]
    /// Pattern indices grouped by first byte, each group longest first: the group of byte `b` is
    /// `candidates[groupStarts[b]..<groupStarts[b + 1]]`.
    private let candidates: [Int]
    private let groupStarts: [Int]
    /// One bit per pair of bytes `(first << 8 | second)` with which some pattern starts (a one-byte pattern sets
    /// the bits of every pair it begins).
    private let leadingPairs: UnsafeMutablePointer<UInt64>
    private static let leadingPairWords = 65_536 / 64

    /// How many distinct patterns the table holds.
    var count: Int { lengths.count }
    /// The length of the longest pattern, which bounds how much text a masker ever holds back.
    let longestLength: Int

    /// Copies the distinct non-empty arrays of `patterns`; the caller still owns (and should wipe) its arrays.
    init(patterns: [[UInt8]]) {
        var distinct = [Int]()
        var byHash = [Int: [Int]]()
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var hasher = Hasher()
            pattern.withUnsafeBytes { hasher.combine(bytes: $0) }
            let hash = hasher.finalize()
            if byHash[hash, default: []].contains(where: { patterns[$0] == pattern }) { continue }
            byHash[hash, default: []].append(index)
            distinct.append(index)
        }

        let totalBytes = distinct.reduce(0) { $0 + patterns[$1].count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(totalBytes, 1), alignment: 1)
        self.storage = storage
        var offsets = [Int]()
        var lengths = [Int]()
        var position = 0
        for index in distinct {
            let pattern = patterns[index]
            pattern.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: storage[position..<position + bytes.count]).copyMemory(from: bytes)
            }
            offsets.append(position)
            lengths.append(pattern.count)
            position += pattern.count
        }
        self.offsets = offsets
        self.lengths = lengths
        longestLength = lengths.max() ?? 0

        var groups = [[Int]](repeating: [], count: 256)
        let leadingPairs = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.leadingPairWords)
        self.leadingPairs = leadingPairs
        leadingPairs.initialize(repeating: 0, count: Self.leadingPairWords)
        for pattern in 0..<lengths.count {
            let first = Int(storage[offsets[pattern]])
            groups[first].append(pattern)
            let seconds = lengths[pattern] == 1 ? Array(0..<256) : [Int(storage[offsets[pattern] + 1])]
            for second in seconds {
                let pair = first << 8 | second
                leadingPairs[pair >> 6] |= 1 << UInt64(pair & 63)
            }
        }
        var candidates = [Int]()
        var groupStarts = [0]
        for group in groups {
            candidates += group.sorted { lengths[$0] > lengths[$1] }
            groupStarts.append(candidates.count)
        }
        self.candidates = candidates
        self.groupStarts = groupStarts
    }

    deinit {
        memset(storage.baseAddress!, 0, storage.count)
        storage.deallocate()
        leadingPairs.deinitialize(count: Self.leadingPairWords)
        leadingPairs.deallocate()
    }

    /// The first position in `start..<limit` where some pattern could begin, or `limit` when there is none.
    ///
    /// This is the hot loop over all output, so it only tests one bit per position.
    func firstPossibleStart(in text: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return limit }
        let pairLimit = min(limit, text.count - 1)
        let bits = leadingPairs
        var index = start
        while index < pairLimit {
            let pair = Int(base[index]) &<< 8 | Int(base[index &+ 1])
            if bits[pair &>> 6] & (1 &<< UInt64(pair & 63)) != 0 { return index }
            index &+= 1
        }
        // The last byte of the text has no second byte to pair with: ask whether any pattern starts with it.
        while index < limit {
            let first = Int(base[index])
            if groupStarts[first] != groupStarts[first + 1] { return index }
            index += 1
        }
        return limit
    }

    /// Decides the text at `position`: the longest pattern that starts there wins, unless a longer one might
    /// still match once more text arrives. With `atEndOfText` no more text will come, so only complete matches count.
    func decision(at position: Int, in text: UnsafeRawBufferPointer, atEndOfText: Bool) -> Decision {
        let available = text.count - position
        let start = text.baseAddress! + position
        let first = Int(text[position])
        for candidate in candidates[groupStarts[first]..<groupStarts[first + 1]] {
            let length = lengths[candidate]
            let pattern = storage.baseAddress! + offsets[candidate]
            if length > available {
                if !atEndOfText && memcmp(start, pattern, available) == 0 { return .needsMoreText }
            } else if memcmp(start, pattern, length) == 0 {
                return .match(length: length)
            }
        }
        return .noMatch
    }
}

extension MaskPatternTable: CustomStringConvertible, CustomReflectable {
    /// Counts only: the patterns are plaintext.
    var description: String { "MaskPatternTable(\(count) patterns)" }
    /// Hides the storage from `dump` and `Mirror`.
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
