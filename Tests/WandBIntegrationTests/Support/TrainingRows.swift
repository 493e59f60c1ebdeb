import Foundation

/// Rows a trainer might report, and helpers to compare what the W&B test server stored.
enum TrainingRows {
    /// `count` rows: `{"step": i, "train_loss": ..., "val_loss": ..., "lr": ...}`.
    static func make(_ count: Int, from first: Int = 0) -> [[String: Any]] {
        (first..<(first + count)).map { i -> [String: Any] in
            let trainLoss: Double = 1.0 / Double(i + 1)
            let valLoss: Double = 0.5 + 1.0 / Double(i + 2)
            return ["step": i, "train_loss": trainLoss, "val_loss": valLoss, "lr": 0.0003]
        }
    }

    static func jsonLines(_ rows: [[String: Any]]) -> String {
        rows.map { canonical($0) + "\n" }.joined()
    }

    /// Compact JSON with sorted keys, to compare values parsed from different places.
    static func canonical(_ value: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    /// A stored history (or summary) row without W&B's own `_` keys.
    static func userKeys(_ row: Any?) -> [String: Any] {
        (row as? [String: Any] ?? [:]).filter { !$0.key.hasPrefix("_") }
    }

    static func userHistory(_ run: [String: Any]) -> [String] {
        (run["history"] as? [Any] ?? []).map { canonical(userKeys($0)) }
    }

    static func steps(_ run: [String: Any]) -> [Int] {
        (run["history"] as? [Any] ?? []).map { (($0 as? [String: Any])?["_step"] as? NSNumber)?.intValue ?? -1 }
    }
}
