import Foundation
import Glibc

/// The few file operations the cache needs, as direct system calls with errors mapped to `HubError`.
enum LocalFileSystem {
    /// Creates `path` and its missing parents (like `mkdir -p`).
    static func makeDirectories(_ path: String) throws(HubError) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw .fileSystem(errno, "creating the folder", path) }
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != path else { throw .fileSystem(ENOENT, "creating the folder", path) }
        try makeDirectories(parent)
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .fileSystem(errno, "creating the folder", path) }
    }

    /// The size of the regular file at `path` (following symlinks), or nil if there is none.
    static func regularFileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Where the symlink at `path` points, or nil if `path` is not a symlink.
    static func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return buffer.withUnsafeBufferPointer { pointer in
            String(decoding: UnsafeRawBufferPointer(start: pointer.baseAddress, count: count), as: UTF8.self)
        }
    }

    /// Makes `path` a symlink to `target`, atomically replacing whatever was there.
    static func replaceSymlink(at path: String, pointingTo target: String) throws(HubError) {
        let temporary = path + ".\(UInt32.random(in: 0...UInt32.max)).link"
        guard symlink(target, temporary) == 0 else { throw .fileSystem(errno, "creating the link", temporary) }
        try rename(temporary, to: path)
    }

    /// Renames `source` to `destination`, replacing it.
    static func rename(_ source: String, to destination: String) throws(HubError) {
        guard Glibc.rename(source, destination) == 0 else {
            let code = errno
            unlink(source)
            throw .fileSystem(code, "renaming to", destination)
        }
    }

    /// Removes the file at `path` if there is one.
    static func remove(_ path: String) {
        unlink(path)
    }

    /// Writes `text` to `path` through a temporary file and a rename, so readers never see half of it.
    static func writeAtomically(_ text: String, to path: String) throws(HubError) {
        let temporary = path + ".\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileSystem(errno, "creating", temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let code = errno
        close(fd)
        guard written == bytes.count else {
            unlink(temporary)
            throw .fileSystem(written < 0 ? code : ENOSPC, "writing", temporary)
        }
        try rename(temporary, to: path)
    }

    /// The contents of a small text file, or nil.
    static func readSmallFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
