/// Why one secret reference could not be resolved, in words an operator can act on; never holds a value.
public enum ResolutionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The secret (or its workspace) does not exist.
    case notFound
    /// The resolving principal may not read it; the text says who and what to change.
    case forbidden(String)
    /// It exists but its ciphertext cannot be opened (wrong or missing key, tampered row).
    case cannotDecrypt(String)
    /// The secrets service could not be reached or answered something unexpected.
    case unreachable(String)

    /// The short outcome word stored in audit records.
    public var outcome: String {
        switch self {
        case .notFound: "not-found"
        case .forbidden: "forbidden"
        case .cannotDecrypt: "cannot-decrypt"
        case .unreachable: "unreachable"
        }
    }

    /// The reason as it appears after the reference in an error list.
    public var description: String {
        switch self {
        case .notFound: "not found"
        case let .forbidden(reason): "forbidden: \(reason)"
        case let .cannotDecrypt(reason): "cannot decrypt: \(reason)"
        case let .unreachable(reason): "secrets service unreachable: \(reason)"
        }
    }
}
