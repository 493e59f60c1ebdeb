/// Which GRDB connections a ``SecretStore`` opens besides its read-only lookup connections.
public enum SecretStoreConnections: Sendable {
    /// A writer plus readers opened on demand, so lists and rotation batches run beside writes: for the server.
    case pool
    /// One connection for writes and lists alike: for a command that does one thing and exits, such as
    /// `jobrunner exec`, where opening a pool (a writer, its WAL checks through Foundation, a dispatch queue per
    /// connection) is a millisecond of every job's start. Lookups still use their own read-only connection, one.
    case single
}
