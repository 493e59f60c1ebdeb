/// The running numbers behind a progress display: done and total bytes and files, and the rate since the start.
struct ProgressTally: Sendable {
    var plan = HubTransferPlan(direction: .download, fileCount: 0, byteCount: 0, skippedFileCount: 0)
    var bytesDone: Int64 = 0
    var filesDone = 0
    var startedAt = ContinuousClock.now

    /// Bytes per second since the start.
    func rate(at now: ContinuousClock.Instant) -> Double {
        let elapsed = (now - startedAt) / .seconds(1)
        return elapsed > 0 ? Double(bytesDone) / elapsed : 0
    }

    /// `"460.2 MiB / 1.00 GiB, 3/10 files, 112.3 MiB/s"`.
    func summary(at now: ContinuousClock.Instant) -> String {
        "\(Self.bytes(bytesDone)) / \(Self.bytes(plan.byteCount)), \(filesDone)/\(plan.fileCount) files, \(Self.bytes(Int64(rate(at: now))))/s"
    }

    /// A byte count in binary units, e.g. `1.00 GiB`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(max(count, 0))
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) B" }
        let rounded = (value * 100).rounded() / 100
        let text = value >= 100 ? String(Int(value.rounded())) : value >= 10 ? String(format1(rounded)) : String(format2(rounded))
        return "\(text) \(units[unit])"
    }

    private static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
