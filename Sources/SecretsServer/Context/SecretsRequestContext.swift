import Hummingbird
import SecretStore

/// The per-request state the secrets routes share: who is calling, once the caller middleware has decided.
public struct SecretsRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; nil only before the caller middleware runs, and on routes that need none.
    public var caller: Caller?

    /// Filled in as the request goes through, read by the request log once it is done.
    let record = RequestRecord()

    public init(source: Source) {
        coreContext = .init(source: source)
        caller = nil
    }

    /// Bodies above 1 MiB are refused with 413 before they are read whole.
    public var maxUploadSize: Int { 1024 * 1024 }
}

/// What the request log reports that inner middleware learns: who the caller turned out to be.
///
/// A class, because the context is passed down by value and the log middleware sits outside the one that
/// authenticates.
final class RequestRecord: @unchecked Sendable {
    // Written and read by the one task that handles the request.
    var principal = "-"
}
