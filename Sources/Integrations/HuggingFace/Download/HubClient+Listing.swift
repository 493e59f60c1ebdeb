import Foundation
import NIOHTTP1

extension HubClient {
    /// The commit a revision (branch, tag or commit id) points to: `GET /api/{kind}s/{repo}/revision/{rev}`.
    func resolveCommit(_ repository: HubRepository, revision: String) async throws -> String {
        struct RevisionInfo: Decodable { let sha: String? }
        let url = "\(apiURL(repository))/revision/\(Self.pathEncoded(revision, keepSlash: false))"
        let info = try await exchangeJSON(RevisionInfo.self, .GET, url, subject: "\(repository) at revision '\(revision)'").value
        guard let sha = info.sha, sha.count == 40, sha.allSatisfy(\.isHexDigit) else {
            throw HubError.protocolViolation("the revision info of \(repository) has no 40-hex 'sha'")
        }
        return sha.lowercased()
    }

    /// Every file of `repository` at `commit`, from the recursive tree listing, following `Link: rel="next"`
    /// pages. Paths that could escape the snapshot folder are refused.
    func listFiles(_ repository: HubRepository, commit: String) async throws -> [HubRepositoryFile] {
        struct Entry: Decodable {
            struct LFS: Decodable {
                let oid: String
                let size: Int64
            }
            let type: String
            let path: String
            let size: Int64?
            let oid: String?
            let lfs: LFS?
        }
        var files: [HubRepositoryFile] = []
        var next: String? = "\(apiURL(repository))/tree/\(commit)?recursive=true&expand=false"
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= 100_000 else { throw HubError.protocolViolation("the tree listing of \(repository) never ends") }
            let (entries, headers) = try await exchangeJSON([Entry].self, .GET, url, subject: "the file list of \(repository) at \(commit)")
            for entry in entries where entry.type == "file" {
                guard Self.isSafeRepositoryPath(entry.path) else {
                    throw HubError.protocolViolation("the tree listing names an unsafe path '\(entry.path)'")
                }
                if let lfs = entry.lfs {
                    files.append(HubRepositoryFile(path: entry.path, size: lfs.size, etag: lfs.oid.lowercased(), isLFS: true))
                } else if let oid = entry.oid, let size = entry.size {
                    files.append(HubRepositoryFile(path: entry.path, size: size, etag: oid.lowercased(), isLFS: false))
                } else {
                    throw HubError.protocolViolation("the tree entry '\(entry.path)' has no oid or size")
                }
            }
            next = Self.nextPageURL(headers)
        }
        return files
    }

    /// The `rel="next"` target of a `Link` header.
    static func nextPageURL(_ headers: HTTPHeaders) -> String? {
        for header in headers[canonicalForm: "Link"] {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, first.hasPrefix("<"), first.hasSuffix(">") else { continue }
            if parts.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" || $0 == "rel=next" }) {
                return String(first.dropFirst().dropLast())
            }
        }
        return nil
    }

    /// A relative path with no empty, `.` or `..` component and no backslash or NUL.
    static func isSafeRepositoryPath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }
}
