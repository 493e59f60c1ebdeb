import Dispatch
import NIOCore
import Synchronization

/// A ``ContentDigest`` computed on a queue of its own while the download goes on: hashing a gigabyte costs about
/// as much CPU as receiving and writing it, so doing both one after the other on the receiving task left a core
/// idle and the transfer at about 60 % of curl's rate. Buffers are handed over in batches of about 1 MiB (one
/// wake-up of the hasher each, not one per received chunk) and without copying (a `ByteBuffer` shares its
/// storage); beyond ``maximumPendingBytes`` waiting, the receiver waits for the hasher (``whenCaughtUp(on:)``).
final class PipelinedContentDigest: @unchecked Sendable {
    /// How far the hasher may fall behind before the receiver waits for it.
    static let maximumPendingBytes = 32 << 20

    private let queue = DispatchQueue(label: "huggingface.digest")
    // Touched only on `queue`.
    private var digest: ContentDigest
    private let pendingBytes = Atomic<Int>(0)

    /// A digest for a file of `size` bytes; `lfs` picks sha256, otherwise the git blob sha1.
    init(lfs: Bool, size: Int64) {
        digest = ContentDigest(lfs: lfs, size: size)
    }

    /// Adds the readable bytes of `buffers` (`byteCount` in all), hashed in the background.
    func update(_ buffers: [ByteBuffer], byteCount: Int) {
        guard byteCount > 0 else { return }
        pendingBytes.add(byteCount, ordering: .relaxed)
        queue.async {
            for buffer in buffers { self.digest.update(buffer) }
            self.pendingBytes.subtract(byteCount, ordering: .relaxed)
        }
    }

    /// When more than ``maximumPendingBytes`` wait to be hashed: a future on `eventLoop` that completes once
    /// everything added so far is hashed, for the receiver to wait on before it reads more. Nil otherwise.
    func whenCaughtUp(on eventLoop: any EventLoop) -> EventLoopFuture<Void>? {
        pendingBytes.load(ordering: .relaxed) > Self.maximumPendingBytes ? queue.whenDone(on: eventLoop) : nil
    }

    /// Adds bytes at once (what an earlier run left in the file, read back before resuming).
    func update(_ bytes: UnsafeRawBufferPointer) {
        queue.sync { digest.update(bytes) }
    }

    /// Forgets everything added (a download restarting from byte 0).
    func reset() {
        queue.sync { digest.reset() }
    }

    /// The hex digest of everything added, once the hasher has caught up.
    func hexDigest() -> String {
        queue.sync { digest.hexDigest() }
    }
}
