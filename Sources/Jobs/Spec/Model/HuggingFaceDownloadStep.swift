import HuggingFaceIntegration

/// A built-in step (`uses: huggingface/download`) that fetches a snapshot of a Hub repository into the hub cache.
public struct HuggingFaceDownloadStep: Sendable, Equatable {
    /// The repository id, `org/name` (or a bare name for the Hub's oldest models).
    public var repository: String
    /// Model, dataset or space.
    public var kind: HubRepositoryKind
    /// A branch, tag or commit.
    public var revision: String
    /// Globs of the files to fetch; empty means all.
    public var allowPatterns: [String]
    /// Globs of the files to leave out.
    public var ignorePatterns: [String]
    /// The hub cache to fill, absolute; `nil` takes the integration's, then the runner's `HF_HUB_CACHE`/`HF_HOME`.
    public var cacheDirectory: String?

    /// A step made of already validated parts.
    public init(
        repository: String, kind: HubRepositoryKind = .model, revision: String = "main", allowPatterns: [String] = [],
        ignorePatterns: [String] = [], cacheDirectory: String? = nil
    ) {
        self.repository = repository
        self.kind = kind
        self.revision = revision
        self.allowPatterns = allowPatterns
        self.ignorePatterns = ignorePatterns
        self.cacheDirectory = cacheDirectory
    }
}
