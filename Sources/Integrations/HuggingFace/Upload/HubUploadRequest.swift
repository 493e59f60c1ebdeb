/// What to upload: a local folder committed to a branch of a repository in one commit.
public struct HubUploadRequest: Sendable {
    /// The repository to commit to.
    public var repository: HubRepository
    /// The local folder whose files are committed (`.git/` and `.cache/huggingface/` inside it are left out).
    public var folder: String
    /// The branch to commit on; `main` by default.
    public var revision: String
    /// Where in the repository the folder's files go; empty for the root.
    public var pathInRepository: String
    /// Which of the folder's files to take (paths relative to the folder).
    public var filter: HubPathFilter
    /// The commit's title.
    public var commitMessage: String
    /// The commit's longer description; may be empty.
    public var commitDescription: String
    /// Whether to create the repository first (an existing one is fine).
    public var createRepository: Bool
    /// Whether a repository created by this upload is private.
    public var privateRepository: Bool
    /// How many LFS files are sent at once.
    public var concurrency: Int

    /// An upload of `folder` to `repository`.
    public init(
        repository: HubRepository,
        folder: String,
        revision: String = "main",
        pathInRepository: String = "",
        allowPatterns: [String]? = nil,
        ignorePatterns: [String]? = nil,
        commitMessage: String = "Upload folder using jobrunner",
        commitDescription: String = "",
        createRepository: Bool = false,
        privateRepository: Bool = false,
        concurrency: Int = 4
    ) {
        self.repository = repository
        self.folder = folder
        self.revision = revision
        self.pathInRepository = pathInRepository
        self.filter = HubPathFilter(allowPatterns: allowPatterns, ignorePatterns: ignorePatterns)
        self.commitMessage = commitMessage
        self.commitDescription = commitDescription
        self.createRepository = createRepository
        self.privateRepository = privateRepository
        self.concurrency = max(1, concurrency)
    }
}
