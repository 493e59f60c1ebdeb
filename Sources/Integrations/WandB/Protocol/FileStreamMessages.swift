/// The body and reply of `POST /files/{entity}/{project}/{run}/file_stream`.
enum FileStreamMessage {
    /// The history file: line `offset + i` of the run's history is `content[i]`; a resend replaces, never adds.
    static let historyFile = "wandb-history.jsonl"
    /// The summary file: always one line at offset 0, the whole summary.
    static let summaryFile = "wandb-summary.json"

    /// Lines of one file, starting at line `offset`.
    struct Chunk: Encodable {
        let offset: Int64
        let content: [String]
    }

    /// The request body; `complete` and `exitcode` only on the last request of a run.
    struct Request: Encodable {
        let files: [String: Chunk]?
        let complete: Bool?
        let exitcode: Int32?
    }

    /// The reply; `stopped` is the service asking the client to stop the run.
    struct Reply: Decodable {
        let stopped: Bool?
    }
}
