/// The commit an upload made.
public struct HubCommit: Sendable {
    /// The new commit's 40-hex id.
    public let oid: String
    /// Its page on the Hub.
    public let url: String
    /// Files sent inline in the commit (regular git files).
    public let regularFileCount: Int
    /// LFS files in the commit.
    public let lfsFileCount: Int
    /// LFS files whose content the Hub already had, so they were not sent again.
    public let lfsAlreadyPresentCount: Int
}

/// The outcome of creating a repository.
public struct HubRepositoryCreation: Sendable {
    /// The repository's page on the Hub.
    public let url: String
    /// True when it existed already (the Hub answered 409), which is not an error.
    public let alreadyExisted: Bool
}
