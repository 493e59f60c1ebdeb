/// A stored row as the line W&B's history file holds: the row's metrics plus `_step` (its line number, the x
/// axis W&B charts by), `_runtime` (seconds since the job started) and `_timestamp` (seconds since 1970), the
/// keys wandb's own client adds to every row.
enum HistoryLine {
    /// The history line for the row stored as `json` at line `step`.
    static func make(json: String, step: Int64, timestamp: Double, startedAt: Double) -> String {
        let runtime = max(0, timestamp - startedAt)
        let prefix = "{\"_runtime\":\(runtime),\"_step\":\(step),\"_timestamp\":\(timestamp)"
        let body = json.utf8.dropFirst().drop { $0 == UInt8(ascii: " ") }
        if body.first == UInt8(ascii: "}") { return prefix + "}" }
        return prefix + "," + String(decoding: body, as: UTF8.self)
    }
}
