/// What one read of a metrics file produced: the complete lines between two byte offsets, decoded.
///
/// ``TelemetryOutbox/ingest(_:jobID:stream:)`` stores the rows and ``endOffset`` in one transaction, which is
/// what makes ingest exactly-once across a runner restart.
public struct MetricsBatch: Sendable {
    /// The byte offset the read started at (the stream's stored offset).
    public let startOffset: UInt64
    /// The byte offset just past the last complete line consumed; the next read starts here.
    public let endOffset: UInt64
    /// The lines that were JSON objects, in file order.
    public let rows: [TelemetryRow]
    /// Lines that were not JSON objects (or were too long); skipped and counted, never fatal.
    public let malformedLines: Int
    /// The last value of every key in ``rows``, as a JSON object text (nil when there are no rows): merged
    /// into the run's summary, which W&B shows as the run's final metrics.
    let lastValues: String?

    /// Whether the read consumed nothing (no complete line was there).
    public var isEmpty: Bool { endOffset == startOffset }

    /// A batch that consumed nothing at `offset`.
    static func empty(at offset: UInt64) -> MetricsBatch {
        MetricsBatch(startOffset: offset, endOffset: offset, rows: [], malformedLines: 0, lastValues: nil)
    }
}
