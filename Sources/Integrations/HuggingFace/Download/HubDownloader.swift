/// Downloads repository snapshots into the standard hub cache, the way `huggingface_hub.snapshot_download` does
/// (same requests, same cache layout, resumable partial files), with every file verified against its checksum,
/// several files at once, and transient failures retried.
public struct HubDownloader: Sendable {
    /// The connection to the Hub the downloads go through.
    public let client: HubClient

    /// A downloader using `client` (its endpoint, token, retry policy and connection pool).
    public init(client: HubClient) {
        self.client = client
    }

    /// Resolves the revision, lists the files, skips those already complete in the cache and fetches the rest,
    /// `request.concurrency` at a time. Throws a `HubError`; files finished before a failure stay in the cache and
    /// a partial file stays as `.incomplete`, to be resumed by the next run.
    public func download(_ request: HubDownloadRequest, progress: (any HubTransferProgress)? = nil) async throws -> HubSnapshot {
        let repository = request.repository
        let commit = try await client.resolveCommit(repository, revision: request.revision)
        let files = try await client.listFiles(repository, commit: commit).filter { request.filter.includes($0.path) }
        let cache = RepositoryCacheFolder(cacheRoot: request.cacheDirectory, repository: repository)
        try cache.prepare()
        try cache.recordRef(request.revision, commit: commit)

        // Files already complete are skipped; a blob that is present but not linked only needs its link.
        var missingByBlob: [String: [HubRepositoryFile]] = [:]
        var blobOrder: [String] = []
        var cachedCount = 0
        for file in files {
            if cache.isComplete(file, commit: commit) {
                cachedCount += 1
            } else if cache.hasBlob(file) {
                try cache.linkSnapshot(file, commit: commit)
                cachedCount += 1
            } else {
                if missingByBlob[file.etag] == nil { blobOrder.append(file.etag) }
                missingByBlob[file.etag, default: []].append(file)
            }
        }
        let toFetch = blobOrder.map { missingByBlob[$0]! }
        progress?.transferStarted(
            HubTransferPlan(
                direction: .download, fileCount: toFetch.reduce(0) { $0 + $1.count },
                byteCount: toFetch.reduce(0) { $0 + $1[0].size }, skippedFileCount: cachedCount))
        defer { progress?.transferFinished() }

        let downloaded = try await withThrowingTaskGroup(of: Int64.self) { group in
            var total: Int64 = 0
            var next = 0
            func startNext() {
                guard next < toFetch.count else { return }
                let sameBlob = toFetch[next]
                next += 1
                group.addTask {
                    try await fetch(sameBlob, repository: repository, commit: commit, cache: cache, progress: progress)
                }
            }
            for _ in 0..<min(request.concurrency, toFetch.count) { startNext() }
            while let bytes = try await group.next() {
                total += bytes
                startNext()
            }
            return total
        }
        return HubSnapshot(
            repository: repository, revision: request.revision, commit: commit,
            snapshotDirectory: cache.snapshotDirectory(commit), files: files,
            downloadedFileCount: toFetch.reduce(0) { $0 + $1.count }, cachedFileCount: cachedCount,
            downloadedByteCount: downloaded)
    }

    /// Fetches one blob (under huggingface_hub's lock for it) and links every path that holds that content.
    private func fetch(
        _ sameBlob: [HubRepositoryFile], repository: HubRepository, commit: String, cache: RepositoryCacheFolder,
        progress: (any HubTransferProgress)?
    ) async throws -> Int64 {
        let file = sameBlob[0]
        let lock = try await BlobLock.acquire(cache.lockPath(file.etag))
        defer { lock.release() }
        var bytes: Int64 = 0
        if !cache.hasBlob(file) {  // another process may have finished it while we waited for the lock
            bytes = try await BlobDownload(
                client: client, repository: repository, commit: commit, file: file, cache: cache, progress: progress
            ).run()
        } else {
            progress?.bytesTransferred(file.size)
        }
        for sibling in sameBlob {
            try cache.linkSnapshot(sibling, commit: commit)
            progress?.fileCompleted(path: sibling.path, size: sibling.size)
        }
        return bytes
    }
}
