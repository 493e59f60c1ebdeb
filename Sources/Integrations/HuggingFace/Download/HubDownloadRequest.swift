/// What to download: a repository at a revision, optionally a subset of its files, into a hub cache.
public struct HubDownloadRequest: Sendable {
    /// The repository to take a snapshot of.
    public var repository: HubRepository
    /// A branch, tag or commit id; `main` by default.
    public var revision: String
    /// Which files to take (huggingface_hub's `allow_patterns` / `ignore_patterns`).
    public var filter: HubPathFilter
    /// The hub cache root, the folder that contains `models--org--name` (see `HubCacheDirectory.resolve`).
    public var cacheDirectory: String
    /// How many files are fetched at once.
    public var concurrency: Int

    /// A request for `repository` at `revision` into `cacheDirectory`, `concurrency` files at a time.
    public init(
        repository: HubRepository,
        revision: String = "main",
        allowPatterns: [String]? = nil,
        ignorePatterns: [String]? = nil,
        cacheDirectory: String,
        concurrency: Int = 8
    ) {
        self.repository = repository
        self.revision = revision
        self.filter = HubPathFilter(allowPatterns: allowPatterns, ignorePatterns: ignorePatterns)
        self.cacheDirectory = cacheDirectory
        self.concurrency = max(1, concurrency)
    }
}
