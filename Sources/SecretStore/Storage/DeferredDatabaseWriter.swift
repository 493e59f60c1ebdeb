import Foundation
import GRDB

/// The store's GRDB writer, open from the start or opened on first use.
///
/// `jobrunner exec` and `run` only look values up, through the store's read-only lookup connection; opening the
/// writer as well (GRDB's set-up of a connection, its schema and migration checks) was about a millisecond of every
/// job's start. So a one-shot store whose schema is already current defers it until a write or a list needs it.
final class DeferredDatabaseWriter: @unchecked Sendable {  // `opened` is guarded by `lock`
    private let lock = NSLock()
    private var opened: (any DatabaseWriter)?
    private let open: () throws -> any DatabaseWriter

    /// A writer that is open already.
    init(_ writer: any DatabaseWriter) {
        opened = writer
        open = { writer }
    }

    /// A writer that `open` opens on first use (once, unless it throws; then the next use tries again).
    init(opening open: @escaping () throws -> any DatabaseWriter) {
        self.open = open
    }

    /// The writer, opened now if this is its first use.
    func writer() throws -> any DatabaseWriter {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        let writer = try open()
        opened = writer
        return writer
    }

    /// The writer if it was ever opened, without opening it.
    var openedWriter: (any DatabaseWriter)? {
        lock.lock()
        defer { lock.unlock() }
        return opened
    }
}
