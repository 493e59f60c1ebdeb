/// What a transfer is about to do: the numbers a progress display shows as its totals.
public struct HubTransferPlan: Sendable, Equatable {
    /// Whether files come from the Hub or go to it.
    public enum Direction: String, Sendable {
        case download
        case upload
    }

    /// Download or upload.
    public let direction: Direction
    /// Files that will be transferred.
    public let fileCount: Int
    /// Bytes those files hold.
    public let byteCount: Int64
    /// Files skipped because they were already complete (in the cache, or on the Hub).
    public let skippedFileCount: Int

    /// A plan of `fileCount` files and `byteCount` bytes, after skipping `skippedFileCount` files.
    public init(direction: Direction, fileCount: Int, byteCount: Int64, skippedFileCount: Int) {
        self.direction = direction
        self.fileCount = fileCount
        self.byteCount = byteCount
        self.skippedFileCount = skippedFileCount
    }
}

/// Hears how a transfer advances. The caller picks the display (`TerminalProgressBar` for a terminal,
/// `ProgressLogLines` for logs, or its own). Methods are called from many tasks at once and `bytesTransferred`
/// once per received chunk, so implementations must be thread-safe and cheap.
public protocol HubTransferProgress: Sendable {
    /// The transfer starts with these totals.
    func transferStarted(_ plan: HubTransferPlan)
    /// `count` more bytes arrived (or were sent). Negative when a restart discards bytes counted before.
    func bytesTransferred(_ count: Int64)
    /// One file is complete and verified.
    func fileCompleted(path: String, size: Int64)
    /// The transfer ended (successfully or not); a display should leave the terminal clean.
    func transferFinished()
}
