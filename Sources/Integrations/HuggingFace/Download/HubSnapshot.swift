/// The result of a download: where the snapshot is and what it took to get it.
public struct HubSnapshot: Sendable {
    /// The repository downloaded.
    public let repository: HubRepository
    /// The revision asked for.
    public let revision: String
    /// The commit the revision resolved to.
    public let commit: String
    /// `<cache>/models--org--name/snapshots/<commit>`: the folder to hand to `from_pretrained` or to a job.
    public let snapshotDirectory: String
    /// The files selected by the filter, all now present in the snapshot.
    public let files: [HubRepositoryFile]
    /// How many of them were fetched in this run.
    public let downloadedFileCount: Int
    /// How many were already complete in the cache and left alone.
    public let cachedFileCount: Int
    /// Bytes that came over the network.
    public let downloadedByteCount: Int64
}
