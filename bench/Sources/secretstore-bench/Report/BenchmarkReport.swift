import Foundation

/// Everything one run prints: the machine, the results table, the setup table and the product targets.
struct BenchmarkReport {
    /// The product's targets, checked at the end of every run.
    static let accessTargetMicroseconds = 50.0
    static let rotationTargetRows = 100_000
    static let rotationTargetSeconds = 10.0

    let options: BenchmarkOptions
    let machine = MachineDescription.current
    /// Baselines first, then the store scenarios with their ratios.
    var results = ResultTable()
    /// Populating the rotation databases, which no scenario's figure includes.
    var setups = ResultTable()
    /// The access scenario, checked against its target.
    var access: Measurement?
    /// The largest rotation, checked against (or projected to) the 100,000-row target.
    var largestRotation: Measurement?
    /// A hash of every measured result, printed so the optimiser cannot drop the work.
    var checksum: UInt64 = 0

    init(options: BenchmarkOptions) {
        self.options = options
    }

    /// The report as text lines.
    var lines: [String] {
        var lines = machine.lines
        lines.append("storage: temporary SQLite files under \(options.directory) (WAL, synchronous=FULL as the library sets)")
        lines.append(
            "workload: \(options.secrets) secrets created then accessed; rotations of "
                + options.rotationSizes.map(String.init).joined(separator: " and ")
                + " secrets; \(options.baselineIterations) operations per baseline after as many warm-up ones")
        lines.append("")
        lines.append("Results. ratio = µs/op ÷ the baseline's µs/op, its baseline measured again just before the scenario:")
        lines.append("create ÷ AES-GCM seal 40 B, access ÷ AES-GCM open 40 B, rotate ÷ the HKDF+open, HKDF+seal 44 B pair.")
        lines += results.lines
        lines.append("")
        lines.append("Setup, in no scenario's figure (each create is its own transaction with a full sync)")
        lines += setups.lines
        lines.append("")
        lines.append("Targets")
        lines += targetLines
        lines.append("")
        lines.append("checksum \(checksum) (keeps the measured work observable)")
        return lines
    }

    private var targetLines: [String] {
        var lines: [String] = []
        if let access {
            let perAccess = access.microsecondsPerOperation
            lines.append(
                String(format: "  access: %.2f µs per access (target < %.0f µs): ", perAccess, Self.accessTargetMicroseconds)
                    + verdict(perAccess < Self.accessTargetMicroseconds))
        }
        if let rotation = largestRotation {
            let projected = Double(Self.rotationTargetRows) / rotation.operationsPerSecond
            var text = String(format: "  rotation: %.2f s for %d rows", rotation.seconds, rotation.operations)
            if rotation.operations != Self.rotationTargetRows {
                text += String(format: ", about %.2f s for %d at that rate", projected, Self.rotationTargetRows)
            }
            text += String(format: " (target < %.0f s for %d): ", Self.rotationTargetSeconds, Self.rotationTargetRows)
            lines.append(text + verdict(projected < Self.rotationTargetSeconds))
        }
        return lines
    }

    private func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }
}
