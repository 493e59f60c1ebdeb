import CLauncher
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The private directory, under `/dev/shm`, that holds one step's secret files.
///
/// In namespace mode it is only the mount point: the job's private tmpfs is mounted on it inside the job's mount
/// namespace, so it stays empty for everyone else. In shared-memory mode the files are written straight into it.
/// Reserve it before the launch when the child's environment must name its path.
public final class TmpfsSecretDirectory: Sendable {
    /// Where secrets directories are made: tmpfs on every Linux system, writable by every user.
    public static let parentPath = "/dev/shm"

    /// The directory's absolute path, the same inside and outside the job's namespace.
    public let path: String

    private let removed = Mutex(false)

    private init(path: String) {
        self.path = path
    }

    /// Creates a new empty directory, mode 0700, named after this runner so a later runner can sweep it if this one
    /// is killed before removing it.
    public static func reserve() throws -> TmpfsSecretDirectory {
        var template = Array((parentPath + "/" + SecretDirectoryName.template(for: .current)).utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw LaunchError.system(call: "mkdtemp", errno: errno) }
        return TmpfsSecretDirectory(path: template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
    }

    /// Deletes the files (plain unlinks: tmpfs has no disk blocks to overwrite) and the directory; calling it again,
    /// or on a directory already gone, does nothing.
    public func remove() throws {
        let alreadyRemoved = removed.withLock { removed in
            defer { removed = true }
            return removed
        }
        if alreadyRemoved { return }
        try Self.removeTree(at: path)
    }

    /// Removes a flat directory of ours and its files; a missing directory is not an error.
    static func removeTree(at path: String) throws {
        let failure = cl_remove_flat_directory(path)
        if failure != 0 && failure != ENOENT {
            throw LaunchError.system(call: "remove \(path)", errno: failure)
        }
    }
}
