/// Keeps the optimiser from deleting work whose result a benchmark does not otherwise use.
///
/// Every measured operation feeds a byte count or a byte in here; the run prints the total at the end, so the
/// results are observable and the compiler cannot prove the work dead.
final class ResultSink {
    private(set) var checksum: UInt64 = 0

    /// Folds `value` into the checksum.
    @inline(never)
    func consume(_ value: Int) {
        checksum = checksum &* 31 &+ UInt64(truncatingIfNeeded: value)
    }
}
