import SecretStore

/// The outcome of resolving a step's references: a value for each one that worked and a reason for each that did not.
public struct ResolutionResults: Sendable {
    /// Each reference with its outcome, in the order they were resolved.
    public private(set) var outcomes: [(reference: SecretReference, result: Result<SecretValue, ResolutionFailure>)] = []

    /// An empty set of results.
    public init() {}

    /// Adds the outcome for `reference`.
    public mutating func record(_ reference: SecretReference, _ result: Result<SecretValue, ResolutionFailure>) {
        outcomes.append((reference, result))
    }

    /// The outcome for `reference`, if it was resolved.
    public func outcome(of reference: SecretReference) -> Result<SecretValue, ResolutionFailure>? {
        outcomes.first { $0.reference == reference }?.result
    }

    /// The value of `reference`, if it resolved.
    public func value(of reference: SecretReference) -> SecretValue? {
        if case let .success(value) = outcome(of: reference) { return value }
        return nil
    }

    /// Every reference that failed, with its reason.
    public var failures: [(reference: SecretReference, failure: ResolutionFailure)] {
        outcomes.compactMap { entry in
            if case let .failure(failure) = entry.result { return (entry.reference, failure) }
            return nil
        }
    }

    /// Throws one error listing every failure, or returns when all references resolved.
    public func requireAll() throws(SecretResolutionError) {
        let failures = failures
        if !failures.isEmpty { throw SecretResolutionError(failures: failures) }
    }
}

/// Some references of a step could not be resolved; nothing was injected and the step did not start.
public struct SecretResolutionError: Error, Sendable, CustomStringConvertible {
    /// Each failing reference with its reason.
    public let failures: [(reference: SecretReference, failure: ResolutionFailure)]

    /// One line naming how many failed, then one indented line per reference and reason.
    public var description: String {
        let noun = failures.count == 1 ? "secret reference" : "secret references"
        let lines = failures.map { "  \($0.reference): \($0.failure)" }
        return (["\(failures.count) \(noun) could not be resolved, so nothing was injected:"] + lines)
            .joined(separator: "\n")
    }
}
