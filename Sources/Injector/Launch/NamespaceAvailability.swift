import Synchronization

/// Remembers that the kernel refused a private namespace, so later automatic launches go straight to shared memory
/// instead of forking a doomed attempt for every step.
enum NamespaceAvailability {
    private static let refusal = Mutex<String?>(nil)

    /// Why namespaces were refused earlier in this process, or nil when they worked or were never tried.
    static var knownRefusal: String? {
        refusal.withLock { $0 }
    }

    /// Records a refusal.
    static func remember(_ reason: String) {
        refusal.withLock { $0 = reason }
    }
}
