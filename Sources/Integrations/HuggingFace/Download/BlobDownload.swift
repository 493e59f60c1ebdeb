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
        let request = client.makeRequest(.GET, url, headers: headers)
        let what = "downloading \(file.path)"
        let response = try await client.send(request, deadline: .distantFuture, doing: what)
        let status = Int(response.status.code)
        switch status {
        case 206:
            guard Self.contentRangeStart(response.headers) == start else {
                try writer.truncateToEmpty()
                progress?.bytesTransferred(-start)
                digest.reset()
                throw RetryableFailure(.protocolViolation("the server answered a Range request for \(file.path) with another range"))
            }
        case 200:
            if start > 0 {
                // The server ignored Range: start over from byte 0.
                try writer.truncateToEmpty()
                digest.reset()
                progress?.bytesTransferred(-start)
            }
        default:
            let body = try? await response.body.collect(upTo: 1 << 20)
            let error = HubError.from(
                status: status, headers: response.headers, body: body, subject: "\(file.path) of \(repository) at \(commit)",
                tokenSent: request.headers.contains(name: "Authorization"))
            if status == 416 {
                try writer.truncateToEmpty()
                digest.reset()
                progress?.bytesTransferred(-start)
                throw RetryableFailure(error)
            }
            if status == 429 || status >= 500 { throw RetryableFailure(error, retryAfter: HubClient.retryAfter(response.headers)) }
            throw error
        }
        // Received chunks (64 KiB at most) go to the hasher and the writer in batches, each working on a
        // thread of its own while this task asks for the next bytes.
        var batch: [ByteBuffer] = []
        var batchBytes = 0
        func handOver() throws(HubError) {
            digest.update(batch, byteCount: batchBytes)
            try writer.append(batch, byteCount: batchBytes)
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }
        do {
            for try await chunk in response.body {
                batch.append(chunk)
                batchBytes += chunk.readableBytes
                progress?.bytesTransferred(Int64(chunk.readableBytes))
                if batchBytes >= Self.batchBytes { try handOver() }
                if writer.length + Int64(batchBytes) > file.size { break }
            }
            try handOver()
        } catch let error as HubError {
            throw error
        } catch is CancellationError {
            // What arrived is kept for the next attempt to resume from.
            try? handOver()
            try? writer.flush()
            throw CancellationError()
        } catch {
            try? handOver()
            try? writer.flush()
            try Task.checkCancellation()
            throw RetryableFailure(
                .unreachable(HTTPOrigin(url: url)?.authority ?? "the server", doing: what + " (connection lost mid-file)", underlying: error))
        }
        try writer.flush()
        if writer.length < file.size {
            throw RetryableFailure(
                HubError(.unreachable, "The connection closed before \(file.path) was complete (\(writer.length) of \(file.size) bytes)."))
        }
    }

    /// How many received bytes are handed to the hasher and the writer at once.
    static let batchBytes = 1 << 20

    /// The first byte position of a `Content-Range: bytes a-b/total` header.
    static func contentRangeStart(_ headers: HTTPHeaders) -> Int64? {
        guard let value = headers.first(name: "Content-Range"), value.hasPrefix("bytes ") else { return nil }
        return value.dropFirst(6).split(separator: "-").first.flatMap { Int64($0) }
    }
}
