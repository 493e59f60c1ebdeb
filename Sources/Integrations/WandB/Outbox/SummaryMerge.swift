import Foundation

/// Keeps a run's summary (the last value of every key, what W&B shows as the run's result) up to date as rows
/// arrive, so finishing a run never has to read back all of its rows.
enum SummaryMerge {
    /// `summary` with every key of `patch` set to the patch's value; both are JSON object texts.
    static func merge(_ patch: String, into summary: String) -> String {
        guard var merged = object(summary), let changes = object(patch) else { return patch }
        merged.merge(changes) { _, new in new }
        guard let data = try? JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys]) else { return summary }
        return String(decoding: data, as: UTF8.self)
    }

    /// `summary` plus the keys W&B computes itself; the line sent as `wandb-summary.json`.
    static func summaryLine(_ summary: String, lastStep: Int64?, runtime: Double, timestamp: Double?) -> String {
        var values = object(summary) ?? [:]
        if let lastStep { values["_step"] = lastStep }
        values["_runtime"] = runtime
        if let timestamp { values["_timestamp"] = timestamp }
        values["_wandb"] = ["runtime": Int(runtime.rounded(.down))]
        guard let data = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else { return summary }
        return String(decoding: data, as: UTF8.self)
    }

    private static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
