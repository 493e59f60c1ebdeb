import SecretStore

/// One resolution of a secret reference for a job: who asked, for what, and whether it worked; never the value.
public struct AuditRecord: Sendable, Codable, Equatable {
    /// When the resolution happened.
    public var time: Timestamp
    /// The run that asked.
    public var job: JobID
    /// The step that asked.
    public var step: String
    /// The reference, as `workspace/name`.
    public var reference: String
    /// Who resolved it (e.g. `embedded-store`, `service:jobrunner on behalf of alice`).
    public var principal: String
    /// `granted`, `not-found`, `forbidden`, `cannot-decrypt` or `unreachable`.
    public var outcome: String
    /// The reason when it failed.
    public var reason: String?

    /// A record with every field given.
    public init(
        time: Timestamp, job: JobID, step: String, reference: String, principal: String, outcome: String,
        reason: String?
    ) {
        self.time = time
        self.job = job
        self.step = step
        self.reference = reference
        self.principal = principal
        self.outcome = outcome
        self.reason = reason
    }
}
