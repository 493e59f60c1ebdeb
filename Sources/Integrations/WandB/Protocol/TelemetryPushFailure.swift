/// Why telemetry could not be sent to W&B: a value the runner prints once and ``TelemetryOutbox`` keeps as the
/// job's last error. No case ever holds the API key.
public enum TelemetryPushFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// W&B refused the key (HTTP 401 or 403). Not retried with the same key; the rows stay in the outbox.
    case keyRefused(status: Int)
    /// The runner had no key to send with (the secret is missing or could not be read).
    case keyUnavailable(reason: String)
    /// W&B could not be reached or did not answer in time; retried with backoff.
    case unreachable(reason: String)
    /// W&B answered with a temporary error (408, 409, 425, 429 or 5xx); retried with backoff.
    case serverError(status: Int)
    /// W&B refused the request itself (another 4xx, a GraphQL error or a reply it cannot have meant).
    case rejected(status: Int, message: String)
    /// W&B asked for the run to stop (`"stopped": true`); nothing more is sent for it.
    case stoppedByService
    /// The outbox could not be read or updated (disk full, file removed); retried with backoff.
    case outboxUnavailable(reason: String)

    /// Whether trying the same request again later may succeed.
    public var isRetryable: Bool {
        switch self {
        case .unreachable, .serverError, .outboxUnavailable: return true
        case .keyRefused, .keyUnavailable, .rejected, .stoppedByService: return false
        }
    }

    /// One sentence for the runner's log or `jobrunner telemetry status`.
    public var description: String {
        switch self {
        case .keyRefused(let status):
            return "W&B refused the API key (HTTP \(status)); check integrations.wandb.api_key. Rows are kept and sent once the key works."
        case .keyUnavailable(let reason):
            return "no W&B API key is available (\(reason)); rows are kept until one is."
        case .unreachable(let reason):
            return "W&B is unreachable (\(reason)); retrying with backoff."
        case .serverError(let status):
            return "W&B answered HTTP \(status); retrying with backoff."
        case .rejected(let status, let message):
            return "W&B rejected the request (HTTP \(status)): \(message)"
        case .stoppedByService:
            return "W&B asked to stop this run; no more rows are sent for it."
        case .outboxUnavailable(let reason):
            return "the telemetry outbox cannot be used (\(reason)); retrying with backoff."
        }
    }

    /// Whether `other` is the same kind of failure (ignoring its details), so a problem is reported only once.
    func isSameKind(as other: TelemetryPushFailure) -> Bool {
        switch (self, other) {
        case (.keyRefused, .keyRefused), (.keyUnavailable, .keyUnavailable), (.unreachable, .unreachable),
            (.serverError, .serverError), (.rejected, .rejected), (.stoppedByService, .stoppedByService),
            (.outboxUnavailable, .outboxUnavailable):
            return true
        default:
            return false
        }
    }
}
