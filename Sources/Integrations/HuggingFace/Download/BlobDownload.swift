import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Fetches one blob into `blobs/<etag>.incomplete` and, once its checksum matches the ETag, renames it to
/// `blobs/<etag>`. A partial file left by an earlier run (ours or huggingface_hub's) is resumed with `Range`;
/// a connection lost mid-body is retried from where it stopped, without hashing the received bytes again.
struct BlobDownload {
    let client: HubClient
    let repository: HubRepository
    let commit: String
    let file: HubRepositoryFile
    let cache: RepositoryCacheFolder
    let progress: (any HubTransferProgress)?

    /// `{endpoint}/{prefix}{repo}/resolve/{commit}/{path}`.
    private var url: String {
        "\(client.endpoint)/\(repository.kind.urlPrefix)\(repository.id)/resolve/\(commit)/\(HubClient.pathEncoded(file.path))"
    }

    /// Downloads and verifies the blob; returns the bytes that came over the network.
    func run() async throws -> Int64 {
        let incomplete = cache.incompletePath(file.etag)
        let writer = try BlobFileWriter(path: incomplete)
        let digest = PipelinedContentDigest(lfs: file.isLFS, size: file.size)
        if writer.length > file.size { try writer.truncateToEmpty() }
        if writer.length > 0 {
            try writer.readExisting { digest.update($0) }
            progress?.bytesTransferred(writer.length)
        }
        let resumedFrom = writer.length
        try await client.retryPolicy.run(onRetry: client.logRetry) { _ in
            try await fetchRemainder(into: writer, digest: digest)
        }
        try writer.flush()
        let actual = digest.hexDigest()
        guard writer.length == file.size, actual == file.etag else {
            LocalFileSystem.remove(incomplete)
            throw HubError(
                .corruptedDownload,
                "\(file.path) of \(repository) did not match its checksum (expected \(file.isLFS ? "sha256" : "git sha1") \(file.etag), got \(actual)); it was not put in the cache."
            )
        }
        try LocalFileSystem.rename(incomplete, to: cache.blobPath(file.etag))
        return file.size - resumedFrom
    }

    /// One attempt: asks for the bytes after what `writer` holds and streams them to disk while hashing.
    private func fetchRemainder(into writer: BlobFileWriter, digest: PipelinedContentDigest) async throws {
        let start = writer.length
        guard start < file.size else { return }
        var headers = [("Accept-Encoding", "identity")]
        if start > 0 { headers.append(("Range", "bytes=\(start)-")) }
        let what = "downloading \(file.path)"
        let (path, size, progress) = (file.path, file.size, progress)
        let (outcome, tokenSent) = try await client.streamedGET(url, headers: headers, doing: what) {
            BlobBodyDelegate(writer: writer, digest: digest, progress: progress, size: size) { head in
                try Self.isContent(head, start: start, writer: writer, digest: digest, progress: progress, path: path)
            }
        }
        let status = Int(outcome.head.status.code)
        if status == 200 || status == 206 {
            try writer.flush()
            if writer.length < file.size {
                throw RetryableFailure(
                    HubError(.unreachable, "The connection closed before \(file.path) was complete (\(writer.length) of \(file.size) bytes)."))
            }
            return
        }
        let error = HubError.from(
            status: status, headers: outcome.head.headers, body: outcome.errorBody, subject: "\(file.path) of \(repository) at \(commit)",
            tokenSent: tokenSent)
        if status == 416 {
            try writer.truncateToEmpty()
            digest.reset()
            progress?.bytesTransferred(-start)
            throw RetryableFailure(error)
        }
        if status == 429 || status >= 500 { throw RetryableFailure(error, retryAfter: HubClient.retryAfter(outcome.head.headers)) }
        throw error
    }

    /// Whether the body `head` announces is the file's content from byte `start` on; run before any of the body.
    /// A server that ignored the `Range` and sends everything empties the file first; one that answers with
    /// another range is an error worth retrying.
    private static func isContent(
        _ head: HTTPResponseHead, start: Int64, writer: BlobFileWriter, digest: PipelinedContentDigest,
        progress: (any HubTransferProgress)?, path: String
    ) throws -> Bool {
        switch head.status.code {
        case 206:
            guard contentRangeStart(head.headers) == start else {
                try writer.truncateToEmpty()
                progress?.bytesTransferred(-start)
                digest.reset()
                throw RetryableFailure(.protocolViolation("the server answered a Range request for \(path) with another range"))
            }
            return true
        case 200:
            if start > 0 {
                try writer.truncateToEmpty()
                digest.reset()
                progress?.bytesTransferred(-start)
            }
            return true
        default:
            return false
        }
    }

    /// The first byte position of a `Content-Range: bytes a-b/total` header.
    static func contentRangeStart(_ headers: HTTPHeaders) -> Int64? {
        guard let value = headers.first(name: "Content-Range"), value.hasPrefix("bytes ") else { return nil }
        return value.dropFirst(6).split(separator: "-").first.flatMap { Int64($0) }
    }
}
