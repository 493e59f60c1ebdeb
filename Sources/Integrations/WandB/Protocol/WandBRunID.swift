/// A W&B run id made from a job id: the run's name in W&B URLs, so it may not hold the characters W&B refuses
/// in run ids (`:;,#?/'` and also `\`, `%` and whitespace); each becomes `-`.
public struct WandBRunID: Sendable, Hashable, CustomStringConvertible {
    /// The id as sent to W&B.
    public let value: String

    /// The run id for `jobID` (an empty id becomes `job`).
    public init(jobID: String) {
        let refused: Set<Character> = [":", ";", ",", "#", "?", "/", "'", "\\", "%"]
        let cleaned = String(jobID.map { refused.contains($0) || $0.isWhitespace || $0.isNewline ? "-" : $0 })
        value = cleaned.isEmpty ? "job" : cleaned
    }

    /// The id itself.
    public var description: String { value }
}
