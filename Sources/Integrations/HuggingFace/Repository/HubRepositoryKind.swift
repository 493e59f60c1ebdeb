/// The three kinds of repository the Hub hosts; each has its own URL prefix and API path segment.
public enum HubRepositoryKind: String, Sendable, CaseIterable {
    case model
    case dataset
    case space

    /// The segment of `/api/{segment}/…` paths.
    public var apiSegment: String { rawValue + "s" }

    /// What `/resolve/` URLs put before the repo id: nothing for models.
    public var urlPrefix: String {
        switch self {
        case .model: ""
        case .dataset: "datasets/"
        case .space: "spaces/"
        }
    }
}
