/// Who is making a request, once authenticated, and on whose behalf.
public enum Caller: Sendable, Equatable {
    /// Authentication is disabled (loopback only): the caller may do everything, as a local platform admin.
    case unrestricted
    /// A user or service, with the user a service acts for when it names one.
    case principal(Principal, onBehalfOf: String?)

    /// The name logged for the request: `-` when unrestricted, `svc obo user` for a service acting for a user.
    public var logName: String {
        switch self {
        case .unrestricted: return "-"
        case let .principal(principal, onBehalfOf?) where principal.isService: return "\(principal.name) obo \(onBehalfOf)"
        case let .principal(principal, _): return principal.name
        }
    }
}

/// Why a request is refused: the caller is not known (401) or may not do this (403).
public enum AccessDenial: Error, Sendable, Equatable, CustomStringConvertible {
    /// No credentials, or credentials that match no active token.
    case unauthenticated(String)
    /// The caller is known but lacks the right.
    case forbidden(String)

    public var description: String {
        switch self {
        case let .unauthenticated(message), let .forbidden(message): return message
        }
    }
}
