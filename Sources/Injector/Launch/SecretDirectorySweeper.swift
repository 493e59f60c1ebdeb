#if canImport(Glibc)
    import Glibc
#endif

/// Removes secrets directories that a killed runner left in `/dev/shm` (shared-memory mode cannot clean up after a
/// SIGKILL; namespace mode leaves only an empty mount point).
public enum SecretDirectorySweeper {
    /// Removes every `jobrunner-*` directory of this user whose runner is gone (its pid is dead, or belongs to a
    /// process with another start time), and returns how many it removed so the runner can say so.
    @discardableResult
    public static func sweepLeftovers() -> Int {
        sweepLeftovers(in: TmpfsSecretDirectory.parentPath)
    }

    /// Sweeps `parent` instead of `/dev/shm` (tests use their own parent).
    static func sweepLeftovers(in parent: String) -> Int {
        var removed = 0
        for name in entries(of: parent) {
            guard let runner = SecretDirectoryName.runner(recordedIn: name), !runner.isAlive else { continue }
            let path = parent + "/" + name
            var info = stat()
            // lstat: a symbolic link with our name is not our directory; others' directories are not ours to judge.
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else { continue }
            if (try? TmpfsSecretDirectory.removeTree(at: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// The names in `directory` that start with our prefix.
    private static func entries(of directory: String) -> [String] {
        guard let listing = opendir(directory) else { return [] }
        defer { closedir(listing) }
        var names: [String] = []
        while let entry = readdir(listing) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: pointer.pointee)) {
                    String(cString: $0)
                }
            }
            if name.hasPrefix(SecretDirectoryName.prefix) { names.append(name) }
        }
        return names
    }
}
