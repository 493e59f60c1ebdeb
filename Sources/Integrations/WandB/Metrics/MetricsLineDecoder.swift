import Foundation

/// Turns lines of JSON objects into ``TelemetryRow``s, collecting the last value of each key for the summary.
///
/// Trainers write with Python's `json.dumps`, which emits `NaN` and `Infinity` for non-finite floats; those
/// are accepted and stored as the strings wandb uses. The keys W&B computes itself (`_step`, `_runtime`) are
/// dropped, and a numeric `_timestamp` becomes the row's timestamp.
struct MetricsLineDecoder {
    private(set) var rows: [TelemetryRow] = []
    private(set) var malformedLines = 0
    private var lastValues: [String: Any] = [:]

    /// Decodes one line (without its newline); blank lines are ignored, anything but a JSON object is counted
    /// as malformed.
    mutating func decode(_ line: some Collection<UInt8>, receivedAt: Double) {
        var bytes = Array(line)
        while let last = bytes.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            bytes.removeLast()
        }
        guard bytes.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        var object = Self.parseObject(bytes)
        if object == nil, let rewritten = NonFiniteNumberRewriter.rewrite(bytes) {
            bytes = rewritten
            object = Self.parseObject(bytes)
        }
        guard var values = object else {
            malformedLines += 1
            return
        }
        var timestamp = receivedAt
        var text = String(decoding: bytes, as: UTF8.self)
        if values["_step"] != nil || values["_runtime"] != nil || values["_timestamp"] != nil {
            if let given = values["_timestamp"] as? Double, given.isFinite, !(values["_timestamp"] is Bool) {
                timestamp = given
            }
            values["_step"] = nil
            values["_runtime"] = nil
            values["_timestamp"] = nil
            guard let data = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else {
                malformedLines += 1
                return
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = text.trimmingCharacters(in: .whitespaces)
        }
        lastValues.merge(values) { _, new in new }
        rows.append(TelemetryRow(json: text, timestamp: timestamp))
    }

    /// Counts one line that was skipped without decoding (longer than the reader accepts).
    mutating func countMalformed() {
        malformedLines += 1
    }

    /// The batch for the lines decoded so far.
    func batch(from startOffset: UInt64, to endOffset: UInt64) -> MetricsBatch {
        var summary: String?
        if !lastValues.isEmpty, let data = try? JSONSerialization.data(withJSONObject: lastValues, options: [.sortedKeys]) {
            summary = String(decoding: data, as: UTF8.self)
        }
        return MetricsBatch(
            startOffset: startOffset, endOffset: endOffset, rows: rows, malformedLines: malformedLines, lastValues: summary)
    }

    private static func parseObject(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}
