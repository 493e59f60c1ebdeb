import AsyncHTTPClient
import Foundation
import NIOCore

/// Commits a local folder to a Hub repository with the Hub's commit API, as `huggingface_hub.upload_folder`
/// does: a preupload check sorts files into regular and LFS, LFS content goes through the LFS batch API (only
/// what the Hub lacks), and everything lands in ONE commit.
public struct HubUploader: Sendable {
    /// The connection to the Hub the uploads go through.
    public let client: HubClient

    /// An uploader using `client` (its endpoint, token, retry policy and connection pool).
    public init(client: HubClient) {
        self.client = client
    }

    /// Creates `repository` (`POST /api/repos/create`); an existing one is reported, not an error.
    @discardableResult
    public func createRepository(_ repository: HubRepository, private isPrivate: Bool = false) async throws -> HubRepositoryCreation {
        var payload: [String: Any] = ["private": isPrivate]
        let parts = repository.id.split(separator: "/")
        payload["name"] = String(parts.last!)
        if parts.count == 2 { payload["organization"] = String(parts[0]) }
        if repository.kind != .model { payload["type"] = repository.kind.rawValue }
        let reply = try await client.exchange(
            .POST, "\(client.endpoint)/api/repos/create", headers: [("Content-Type", "application/json")],
            body: try Self.json(payload), subject: "creating \(repository)", accepting: [409])
        let object = try? JSONSerialization.jsonObject(with: Data(reply.body.readableBytesView)) as? [String: Any]
        let url = object?["url"] as? String ?? "\(client.endpoint)/\(repository.kind.urlPrefix)\(repository.id)"
        return HubRepositoryCreation(url: url, alreadyExisted: reply.status == 409)
    }

    /// Uploads `request.folder` in one commit and returns it. Throws a `HubError` (nothing is committed then).
    public func upload(_ request: HubUploadRequest, progress: (any HubTransferProgress)? = nil) async throws -> HubCommit {
        let repository = request.repository
        if request.createRepository { try await createRepository(repository, private: request.privateRepository) }
        let scanned = try LocalFolderFile.scan(folder: request.folder, pathInRepository: request.pathInRepository, filter: request.filter)
        for file in scanned where !HubClient.isSafeRepositoryPath(file.repositoryPath) {
            throw HubError(.invalidRequest, "'\(file.repositoryPath)' is not a path the Hub accepts.")
        }
        let modes = try await preuploadModes(scanned, repository: repository, revision: request.revision)
        var regular: [LocalFolderFile] = []
        var lfs: [(file: LocalFolderFile, object: LFSObject)] = []
        for file in scanned {
            switch modes[file.repositoryPath] {
            case .some("lfs"): lfs.append((file, LFSObject(oid: try file.sha256(), size: file.size)))
            case .some("regular"): regular.append(file)
            default: continue  // shouldIgnore
            }
        }
        let uploads = try await lfsUploadActions(lfs.map(\.object), repository: repository, revision: request.revision)
        let toSend = lfs.filter { uploads[$0.object] != nil }
        progress?.transferStarted(
            HubTransferPlan(
                direction: .upload, fileCount: toSend.count, byteCount: toSend.reduce(0) { $0 + $1.file.size },
                skippedFileCount: lfs.count - toSend.count))
        defer { progress?.transferFinished() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func startNext() {
                guard next < toSend.count else { return }
                let item = toSend[next]
                next += 1
                group.addTask {
                    try await sendLFS(item.file, item.object, uploads[item.object]!, progress: progress)
                    progress?.fileCompleted(path: item.file.repositoryPath, size: item.file.size)
                }
            }
            for _ in 0..<min(request.concurrency, toSend.count) { startNext() }
            while try await group.next() != nil { startNext() }
        }
        return try await commit(request, regular: regular, lfs: lfs, alreadyPresent: lfs.count - toSend.count)
    }

    /// `POST /api/{kind}s/{repo}/preupload/{rev}` in batches of 256: path → `regular` | `lfs` (ignored files absent).
    private func preuploadModes(_ files: [LocalFolderFile], repository: HubRepository, revision: String) async throws -> [String: String] {
        struct Reply: Decodable {
            struct File: Decodable {
                let path: String
                let uploadMode: String
                let shouldIgnore: Bool?
            }
            let files: [File]
        }
        var modes: [String: String] = [:]
        let url = "\(client.apiURL(repository))/preupload/\(HubClient.pathEncoded(revision, keepSlash: false))"
        for start in stride(from: 0, to: files.count, by: 256) {
            let batch = files[start..<min(start + 256, files.count)]
            let entries: [[String: Any]] = try batch.map { ["path": $0.repositoryPath, "size": $0.size, "sample": try $0.sample()] }
            let reply = try await client.exchangeJSON(
                Reply.self, .POST, url, headers: [("Content-Type", "application/json")], body: try Self.json(["files": entries]),
                subject: "\(repository) at revision '\(revision)' (preupload)"
            ).value
            for file in reply.files where file.shouldIgnore != true { modes[file.path] = file.uploadMode }
        }
        return modes
    }

    /// The LFS batch API (`/{prefix}{repo}.git/info/lfs/objects/batch`) in batches of 256: upload actions for the
    /// objects the Hub lacks; objects it already has get none and are left out.
    private func lfsUploadActions(_ objects: [LFSObject], repository: HubRepository, revision: String) async throws
        -> [LFSObject: LFSBatchReply.Object.Actions]
    {
        var actions: [LFSObject: LFSBatchReply.Object.Actions] = [:]
        let unique = Array(Set(objects))
        let url = "\(client.endpoint)/\(repository.kind.urlPrefix)\(repository.id).git/info/lfs/objects/batch"
        let headers = [("Accept", "application/vnd.git-lfs+json"), ("Content-Type", "application/vnd.git-lfs+json")]
        for start in stride(from: 0, to: unique.count, by: 256) {
            let batch = unique[start..<min(start + 256, unique.count)]
            let payload: [String: Any] = [
                "operation": "upload", "transfers": ["basic"], "hash_algo": "sha256",
                "ref": ["name": "refs/heads/\(revision)"],
                "objects": batch.map { ["oid": $0.oid, "size": $0.size] },
            ]
            let reply = try await client.exchangeJSON(
                LFSBatchReply.self, .POST, url, headers: headers, body: try Self.json(payload), subject: "\(repository) (LFS batch)"
            ).value
            for object in reply.objects {
                if let error = object.error {
                    throw HubError(.serverError, "The Hub refused LFS object \(object.oid): \(error.message ?? "no reason") (\(error.code ?? 0)).")
                }
                if let found = object.actions, found.upload != nil {
                    actions[LFSObject(oid: object.oid, size: object.size)] = found
                }
            }
        }
        return actions
    }

    /// PUTs one LFS file to its upload URL (with the headers the batch gave, no token off the Hub's origin), then
    /// asks the Hub to verify it when the batch said so.
    private func sendLFS(
        _ file: LocalFolderFile, _ object: LFSObject, _ actions: LFSBatchReply.Object.Actions, progress: (any HubTransferProgress)?
    ) async throws {
        guard let upload = actions.upload else { return }
        try await client.retryPolicy.run(onRetry: client.logRetry) { _ in
            let counted = CountingProgress(progress)
            var request = client.makeRequest(.PUT, upload.href, headers: (upload.header ?? [:]).map { ($0.key, $0.value) })
            request.body = .stream(FileBodyChunks(path: file.localPath, progress: counted), length: .known(file.size))
            let response: HTTPClientResponse
            do {
                response = try await client.send(request, deadline: .distantFuture, doing: "uploading \(file.repositoryPath)")
            } catch {
                counted.takeBack()
                throw error
            }
            let body = try? await response.body.collect(upTo: 1 << 20)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                let error = HubError.from(
                    status: status, headers: response.headers, body: body, subject: "the upload of \(file.repositoryPath)",
                    tokenSent: request.headers.contains(name: "Authorization"))
                counted.takeBack()
                if status == 429 || status >= 500 { throw RetryableFailure(error) }
                throw error
            }
        }
        if let verify = actions.verify {
            _ = try await client.exchange(
                .POST, verify.href,
                headers: [("Content-Type", "application/vnd.git-lfs+json")] + (verify.header ?? [:]).map { ($0.key, $0.value) },
                body: try Self.json(["oid": object.oid, "size": object.size]), subject: "the verification of \(file.repositoryPath)")
        }
    }

    /// `POST /api/{kind}s/{repo}/commit/{rev}` with the ndjson body: a header line, one `file` line per regular
    /// file (base64 content), one `lfsFile` line per LFS file.
    private func commit(
        _ request: HubUploadRequest, regular: [LocalFolderFile], lfs: [(file: LocalFolderFile, object: LFSObject)], alreadyPresent: Int
    ) async throws -> HubCommit {
        var lines: [[String: Any]] = [
            ["key": "header", "value": ["summary": request.commitMessage, "description": request.commitDescription]]
        ]
        for file in regular {
            lines.append([
                "key": "file",
                "value": ["path": file.repositoryPath, "encoding": "base64", "content": try file.contents().base64EncodedString()],
            ])
        }
        for (file, object) in lfs {
            lines.append(["key": "lfsFile", "value": ["path": file.repositoryPath, "algo": "sha256", "oid": object.oid, "size": object.size]])
        }
        var body = ByteBuffer()
        for line in lines {
            body.writeImmutableBuffer(try Self.json(line))
            body.writeString("\n")
        }
        struct Reply: Decodable {
            let commitOid: String
            let commitUrl: String
        }
        let repository = request.repository
        let url = "\(client.apiURL(repository))/commit/\(HubClient.pathEncoded(request.revision, keepSlash: false))"
        let reply = try await client.exchangeJSON(
            Reply.self, .POST, url, headers: [("Content-Type", "application/x-ndjson")], body: body,
            subject: "\(repository) at revision '\(request.revision)' (commit)"
        ).value
        return HubCommit(
            oid: reply.commitOid, url: reply.commitUrl, regularFileCount: regular.count, lfsFileCount: lfs.count,
            lfsAlreadyPresentCount: alreadyPresent)
    }

    /// `value` as compact JSON in a ByteBuffer.
    private static func json(_ value: Any) throws(HubError) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes]))
        } catch {
            throw HubError(.invalidRequest, "Cannot encode a request body: \(error).")
        }
    }
}
