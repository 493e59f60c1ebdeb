/// One file of a repository at a commit, as the tree listing describes it.
public struct HubRepositoryFile: Sendable, Hashable {
    /// The path inside the repository, `/`-separated.
    public let path: String
    /// The size of the content in bytes (for LFS files, of the real content, not the pointer).
    public let size: Int64
    /// The ETag and blob name: the sha256 for LFS files, the git blob sha1 otherwise.
    public let etag: String
    /// Whether the content is stored with Git LFS (and checked with sha256).
    public let isLFS: Bool

    /// A file entry; `etag` must be the hash that matches `isLFS`.
    public init(path: String, size: Int64, etag: String, isLFS: Bool) {
        self.path = path
        self.size = size
        self.etag = etag
        self.isLFS = isLFS
    }
}
