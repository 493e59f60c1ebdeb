import Synchronization

/// Passes byte counts on to a progress display and remembers their sum, so that a failed attempt can take back
/// what it reported before the retry reports it again.
final class CountingProgress: HubTransferProgress {
    private let inner: (any HubTransferProgress)?
    private let counted = Mutex<Int64>(0)

    init(_ inner: (any HubTransferProgress)?) { self.inner = inner }

    func transferStarted(_ plan: HubTransferPlan) { inner?.transferStarted(plan) }

    func bytesTransferred(_ count: Int64) {
        counted.withLock { $0 += count }
        inner?.bytesTransferred(count)
    }

    func fileCompleted(path: String, size: Int64) { inner?.fileCompleted(path: path, size: size) }

    func transferFinished() { inner?.transferFinished() }

    /// Reports minus everything counted so far, and starts counting from zero.
    func takeBack() {
        let total = counted.withLock { value in
            defer { value = 0 }
            return value
        }
        if total != 0 { inner?.bytesTransferred(-total) }
    }
}
