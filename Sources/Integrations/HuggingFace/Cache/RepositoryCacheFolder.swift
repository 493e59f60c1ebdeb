import Glibc

/// One repository's folder in the hub cache, laid out exactly as huggingface_hub lays it out so that either tool
/// (and `HF_HUB_OFFLINE=1` readers such as transformers) finds and resumes the other's files:
/// `blobs/<etag>` (content), `blobs/<etag>.incomplete` (a partial download), `refs/<revision>` (the commit, no
/// newline), `snapshots/<commit>/<path>` (relative symlinks to the blob), `.locks/<folder>/<etag>.lock`.
struct RepositoryCacheFolder: Sendable {
    /// The hub cache root (contains `models--org--name`).
    let cacheRoot: String
    /// `<cacheRoot>/models--org--name`.
    let path: String
    private let folderName: String

    init(cacheRoot: String, repository: HubRepository) {
        var root = cacheRoot
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.cacheRoot = root
        folderName = repository.cacheFolderName
        path = root + "/" + folderName
    }

    func blobPath(_ etag: String) -> String { "\(path)/blobs/\(etag)" }
    func incompletePath(_ etag: String) -> String { "\(path)/blobs/\(etag).incomplete" }
    func lockPath(_ etag: String) -> String { "\(cacheRoot)/.locks/\(folderName)/\(etag).lock" }
    func snapshotDirectory(_ commit: String) -> String { "\(path)/snapshots/\(commit)" }
    func snapshotPath(_ commit: String, _ file: String) -> String { "\(path)/snapshots/\(commit)/\(file)" }

    /// What the snapshot symlink for `file` holds: a path relative to the link's own folder, `../../blobs/<etag>`
    /// one level deeper per folder in `file` (what huggingface_hub's `os.path.relpath` gives).
    static func linkTarget(forFile file: String, etag: String) -> String {
        let depth = file.split(separator: "/").count - 1 + 2
        return String(repeating: "../", count: depth) + "blobs/" + etag
    }

    /// Creates the folders a download writes into, and the `CACHEDIR.TAG` that tells backup tools to skip the cache.
    func prepare() throws(HubError) {
        try LocalFileSystem.makeDirectories(path + "/blobs")
        try LocalFileSystem.makeDirectories(path + "/snapshots")
        try LocalFileSystem.makeDirectories("\(cacheRoot)/.locks/\(folderName)")
        let tag = cacheRoot + "/CACHEDIR.TAG"
        if access(tag, F_OK) != 0 {
            try? LocalFileSystem.writeAtomically(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                    + "# This file is a cache directory tag created by huggingface_hub.\n"
                    + "# For information about cache directory tags, see:\n#\thttps://bford.info/cachedir/\n",
                to: tag)
        }
    }

    /// Records that `revision` (a branch or tag) points at `commit`, as huggingface_hub does: `refs/<revision>`
    /// holding the 40-hex commit without a newline. Nothing is written when the revision is the commit itself.
    func recordRef(_ revision: String, commit: String) throws(HubError) {
        guard revision != commit else { return }
        let refPath = "\(path)/refs/\(revision)"
        if LocalFileSystem.readSmallFile(refPath) == commit { return }
        try LocalFileSystem.makeDirectories(parent(of: refPath))
        try LocalFileSystem.writeAtomically(commit, to: refPath)
    }

    /// Whether `file` at `commit` is already in place: its blob exists with the right size and its snapshot link
    /// points at it.
    func isComplete(_ file: HubRepositoryFile, commit: String) -> Bool {
        hasBlob(file) && LocalFileSystem.symlinkTarget(snapshotPath(commit, file.path)) == Self.linkTarget(forFile: file.path, etag: file.etag)
    }

    /// Whether the blob of `file` exists with the right size.
    func hasBlob(_ file: HubRepositoryFile) -> Bool {
        LocalFileSystem.regularFileSize(blobPath(file.etag)) == file.size
    }

    /// Points `snapshots/<commit>/<file>` at the file's blob (creating folders, replacing a stale link).
    func linkSnapshot(_ file: HubRepositoryFile, commit: String) throws(HubError) {
        let link = snapshotPath(commit, file.path)
        let target = Self.linkTarget(forFile: file.path, etag: file.etag)
        if LocalFileSystem.symlinkTarget(link) == target { return }
        try LocalFileSystem.makeDirectories(parent(of: link))
        try LocalFileSystem.replaceSymlink(at: link, pointingTo: target)
    }

    private func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
