import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the complete lines a trainer appended to its metrics file (`$JOBRUNNER_METRICS`) since a byte offset.
///
/// The trainer only ever appends to a plain file, so it never waits on the runner however slow the runner is.
/// A line is taken only once its newline is there; a half-written last line stays for the next read. The tail
/// keeps no state besides the offset the caller passes, so a restarted runner resumes from the offset the
/// outbox stored. A missing file reads as empty (the trainer may not have created it yet).
public struct MetricsFileTail: Sendable {
    /// The metrics file.
    public let path: String
    /// The most bytes one read takes in, which bounds a batch (and the memory it needs).
    public let maximumBatchBytes: Int

    /// A tail of the file at `path`; `maximumBatchBytes` also caps the length of one line (a longer line is
    /// skipped and counted as malformed).
    public init(path: String, maximumBatchBytes: Int = 4 << 20) {
        self.path = path
        self.maximumBatchBytes = max(maximumBatchBytes, 1024)
    }

    /// Reads and decodes the complete lines from `offset` on, up to ``maximumBatchBytes``; never blocks on the
    /// writer. Throws only when the file exists but cannot be read.
    public func read(from offset: UInt64, receivedAt: Double = Date().timeIntervalSince1970) throws -> MetricsBatch {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return .empty(at: offset) }
            throw MetricsFileError.unreadable(path: path, errno: errno)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw MetricsFileError.unreadable(path: path, errno: errno) }
        let size = UInt64(info.st_size)
        guard size > offset else { return .empty(at: offset) }

        let wanted = Int(min(size - offset, UInt64(maximumBatchBytes)))
        var buffer = [UInt8](repeating: 0, count: wanted)
        let got = try readFully(descriptor, into: &buffer, at: offset)
        var decoder = MetricsLineDecoder()
        guard let lastNewline = buffer[0..<got].lastIndex(of: UInt8(ascii: "\n")) else {
            guard got == maximumBatchBytes else { return .empty(at: offset) }
            // One line longer than a batch: skip it whole once its end is there.
            guard let end = try findNewline(descriptor, from: offset + UInt64(got), size: size) else { return .empty(at: offset) }
            decoder.countMalformed()
            return decoder.batch(from: offset, to: end + 1)
        }
        var lineStart = 0
        while lineStart <= lastNewline {
            let lineEnd = buffer[lineStart...lastNewline].firstIndex(of: UInt8(ascii: "\n"))!
            decoder.decode(buffer[lineStart..<lineEnd], receivedAt: receivedAt)
            lineStart = lineEnd + 1
        }
        return decoder.batch(from: offset, to: offset + UInt64(lastNewline + 1))
    }

    private func readFully(_ descriptor: Int32, into buffer: inout [UInt8], at offset: UInt64) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + filled, raw.count - filled, off_t(offset) + off_t(filled))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw MetricsFileError.unreadable(path: path, errno: errno)
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    private func findNewline(_ descriptor: Int32, from start: UInt64, size: UInt64) throws -> UInt64? {
        var position = start
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while position < size {
            let got = try readFully(descriptor, into: &chunk, at: position)
            if got == 0 { return nil }
            if let index = chunk[0..<got].firstIndex(of: UInt8(ascii: "\n")) { return position + UInt64(index) }
            position += UInt64(got)
        }
        return nil
    }
}
