import HuggingFaceIntegration

/// A built-in step (`uses: huggingface/upload`) that commits a local folder to a Hub repository.
public struct HuggingFaceUploadStep: Sendable, Equatable {
    /// The repository id, `org/name`.
    public var repository: String
    /// Model, dataset or space.
    public var kind: HubRepositoryKind
    /// The folder to commit, absolute.
    public var folder: String
    /// The branch to commit to.
    public var revision: String
    /// Whether a repository this step creates is private.
    public var isPrivate: Bool
    /// Whether to create the repository when it does not exist.
    public var create: Bool
    /// The commit's summary line; `${JOBRUNNER_JOB_ID}`, `${JOBRUNNER_JOB_NAME}` and `${JOBRUNNER_STEP}` are
    /// replaced when the step runs.
    public var commitMessage: String
    /// The commit's longer description, if any (same replacements).
    public var commitDescription: String?

    /// The commit message when a spec gives none.
    public static let defaultCommitMessage = "Upload from job ${JOBRUNNER_JOB_ID}"

    /// A step made of already validated parts.
    public init(
        repository: String, kind: HubRepositoryKind = .model, folder: String, revision: String = "main", isPrivate: Bool = true,
        create: Bool = false, commitMessage: String = Self.defaultCommitMessage, commitDescription: String? = nil
    ) {
        self.repository = repository
        self.kind = kind
        self.folder = folder
        self.revision = revision
        self.isPrivate = isPrivate
        self.create = create
        self.commitMessage = commitMessage
        self.commitDescription = commitDescription
    }
}
