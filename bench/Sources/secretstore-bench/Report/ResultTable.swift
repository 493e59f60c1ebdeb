import Foundation

/// The printed comparison: one row per measurement, with the baseline measured in the same run and the
/// ratio of their costs, so figures from different machines can still be compared as ratios.
struct ResultTable {
    /// One measurement and, for store scenarios, the raw-crypto measurement it is compared with.
    struct Row {
        let measurement: Measurement
        let baseline: Measurement?

        /// How many times the baseline's cost per operation this measurement's is.
        var ratio: Double? {
            baseline.map { measurement.microsecondsPerOperation / $0.microsecondsPerOperation }
        }
    }

    private(set) var rows: [Row] = []

    /// Adds `measurement`, compared with `baseline` when one is given.
    mutating func add(_ measurement: Measurement, baseline: Measurement? = nil) {
        rows.append(Row(measurement: measurement, baseline: baseline))
    }

    private static let headers = ["scenario", "ops", "total s", "ops/s", "µs/op", "baseline ops/s", "ratio"]

    /// The table as aligned text lines: the first column left-aligned, numbers right-aligned.
    var lines: [String] {
        let cells = rows.map { row -> [String] in
            let m = row.measurement
            return [
                m.name,
                Self.grouped(Double(m.operations), decimals: 0),
                Self.grouped(m.seconds, decimals: 3),
                Self.grouped(m.operationsPerSecond, decimals: 0),
                Self.grouped(m.microsecondsPerOperation, decimals: 2),
                row.baseline.map { Self.grouped($0.operationsPerSecond, decimals: 0) } ?? "-",
                row.ratio.map { String(format: "%.1fx", $0) } ?? "-",
            ]
        }
        let widths = Self.headers.indices.map { column in
            ([Self.headers[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
        }
        func format(_ line: [String]) -> String {
            line.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + padding : padding + text
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return [format(Self.headers), rule] + cells.map(format)
    }

    /// `value` with thousands separators, e.g. `1,234,567.89`, independent of the locale.
    private static func grouped(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        let parts = text.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        let sign = integer.hasPrefix("-") ? String(integer.removeFirst()) : ""
        var groups: [Substring] = []
        var end = integer.endIndex
        while end > integer.startIndex {
            let start = integer.index(end, offsetBy: -3, limitedBy: integer.startIndex) ?? integer.startIndex
            groups.insert(integer[start..<end], at: 0)
            end = start
        }
        return sign + groups.joined(separator: ",") + (parts.count == 2 ? "." + parts[1] : "")
    }
}
