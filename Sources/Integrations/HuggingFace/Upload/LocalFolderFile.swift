import Foundation
import Glibc

/// A file of the folder being uploaded: where it is on disk, where it goes in the repository, and its size.
struct LocalFolderFile: Sendable {
    /// The absolute local path.
    let localPath: String
    /// The path in the repository.
    let repositoryPath: String
    /// Size in bytes.
    let size: Int64

    /// Every regular file under `folder` (symlinks to files followed), minus `.git/` and `.cache/huggingface/`
    /// as huggingface_hub's `upload_folder` leaves them out, minus what `filter` excludes; sorted by path.
    static func scan(folder: String, pathInRepository: String, filter: HubPathFilter) throws(HubError) -> [LocalFolderFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HubError(.invalidRequest, "\(folder) is not a folder to upload.")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw HubError(.fileSystem, "Cannot list \(root).")
        }
        var prefix = pathInRepository.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !prefix.isEmpty { prefix += "/" }
        var files: [LocalFolderFile] = []
        while let relative = enumerator.nextObject() as? String {
            if isIgnoredByDefault(relative) { continue }
            let full = root + "/" + relative
            guard let size = LocalFileSystem.regularFileSize(full), filter.includes(relative) else { continue }
            files.append(LocalFolderFile(localPath: full, repositoryPath: prefix + relative, size: size))
        }
        return files.sorted { $0.repositoryPath < $1.repositoryPath }
    }

    /// huggingface_hub's default ignore patterns: anything inside a `.git` folder or a `.cache/huggingface` folder.
    static func isIgnoredByDefault(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/")
        if parts.contains(".git") { return true }
        return zip(parts, parts.dropFirst()).contains { $0 == ".cache" && $1 == "huggingface" }
    }

    /// Up to the first 512 bytes, base64-encoded: the sample the preupload check looks at.
    func sample() throws(HubError) -> String {
        let fd = open(localPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(errno, "opening", localPath) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
        guard count >= 0 else { throw .fileSystem(errno, "reading", localPath) }
        return Data(bytes[0..<count]).base64EncodedString()
    }

    /// The whole content (regular files are small: the Hub takes them inline in the commit).
    func contents() throws(HubError) -> Data {
        guard let data = FileManager.default.contents(atPath: localPath) else { throw .fileSystem(EIO, "reading", localPath) }
        return data
    }

    /// The sha256 of the content, read in 4 MiB pieces.
    func sha256() throws(HubError) -> String {
        var digest = ContentDigest(lfs: true, size: size)
        let reader = try FileChunkReader(path: localPath)
        while let chunk = try reader.next(upTo: 4 << 20) {
            digest.update(chunk)
        }
        return digest.hexDigest()
    }
}
