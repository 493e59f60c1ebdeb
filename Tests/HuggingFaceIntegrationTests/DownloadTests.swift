import Foundation
import HuggingFaceIntegration
import Testing

/// Downloads against the real Hub test server: cache layout, tokens, patterns, paging, faults, resume, skips.
@Suite(.serialized) struct DownloadTests {
    static let quickRetries = HubRetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(20), maxDelay: .milliseconds(100))

    let config = Data("{\"model_type\": \"bert\"}\n".utf8)
    let nested = Data("nested text\n".utf8)
    let weights = testBytes(300_000, seed: 1)

    func download(
        _ server: HubTestServer, _ repo: String, token: String? = nil, cache: String, revision: String = "main",
        allow: [String]? = nil, ignore: [String]? = nil, progress: (any HubTransferProgress)? = nil
    ) async throws -> HubSnapshot {
        try await HubClient.withClient(endpoint: server.endpoint, token: HubToken(token), retryPolicy: Self.quickRetries) { client in
            try await HubDownloader(client: client).download(
                HubDownloadRequest(
                    repository: try HubRepository(repo), revision: revision, allowPatterns: allow, ignorePatterns: ignore,
                    cacheDirectory: cache),
                progress: progress)
        }
    }

    func addStandardRepo(_ server: HubTestServer, _ id: String, visibility: String = "public") async throws -> String {
        try await server.addRepo(
            id, visibility: visibility,
            files: ["config.json": config, "a/b/nested.txt": nested, "model.safetensors": weights],
            lfs: ["model.safetensors"])
    }

    /// The `.incomplete` path of `data`'s blob for org/model in `cache`, its folder created: where an earlier,
    /// interrupted download would have left it.
    func incompleteBlobPath(of data: Data, in cache: String) throws -> String {
        let blobs = cache + "/models--org--model/blobs"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        return "\(blobs)/\(sha256Hex(data)).incomplete"
    }

    func hubError(_ body: () async throws -> Void) async -> HubError? {
        do {
            try await body()
            return nil
        } catch let error as HubError {
            return error
        } catch {
            Issue.record("not a HubError: \(error)")
            return nil
        }
    }

    @Test("a snapshot lands in the hub cache exactly as huggingface_hub lays it out")
    func cacheLayout() async throws {
        try await HubTestServer.with { server in
            try await server.setConfig(["cdn_redirect": true])
            let commit = try await addStandardRepo(server, "org/model")
            try await withTemporaryDirectory { cache in
                let snapshot = try await download(server, "org/model", cache: cache)
                let folder = cache + "/models--org--model"
                #expect(snapshot.commit == commit)
                #expect(snapshot.snapshotDirectory == "\(folder)/snapshots/\(commit)")
                #expect(snapshot.downloadedFileCount == 3)
                #expect(try String(contentsOfFile: "\(folder)/refs/main", encoding: .utf8) == commit)
                let fm = FileManager.default
                let expected: [(String, Data, String)] = [
                    ("config.json", config, gitBlobSHA1(config)),
                    ("a/b/nested.txt", nested, gitBlobSHA1(nested)),
                    ("model.safetensors", weights, sha256Hex(weights)),
                ]
                for (path, data, etag) in expected {
                    #expect(fm.contents(atPath: "\(folder)/blobs/\(etag)") == data)
                    let depth = path.split(separator: "/").count + 1
                    let target = try fm.destinationOfSymbolicLink(atPath: "\(folder)/snapshots/\(commit)/\(path)")
                    #expect(target == String(repeating: "../", count: depth) + "blobs/\(etag)")
                    #expect(fm.contents(atPath: "\(folder)/snapshots/\(commit)/\(path)") == data)
                }
                let blobs = try fm.contentsOfDirectory(atPath: "\(folder)/blobs")
                #expect(blobs.sorted() == expected.map(\.2).sorted(), "no .incomplete file or stray blob is left")
            }
        }
    }

    @Test("the token goes to the Hub but never to the CDN host an LFS file redirects to")
    func tokenStaysOnHub() async throws {
        try await HubTestServer.with { server in
            try await server.setConfig(["cdn_redirect": true])
            try await server.addToken("hf_reader_secret", user: "alice", grants: ["org/*"])
            _ = try await addStandardRepo(server, "org/private", visibility: "private")
            try await withTemporaryDirectory { cache in
                _ = try await download(server, "org/private", token: "hf_reader_secret", cache: cache)
                let log = try await server.log()
                let cdn = log.filter { $0.server == "cdn" }
                #expect(!cdn.isEmpty, "the LFS file came from the CDN")
                #expect(cdn.allSatisfy { !$0.authorization && $0.status == 200 })
                #expect(log.filter { $0.server == "hub" }.allSatisfy { $0.authorization })
            }
        }
    }

    @Test("private, gated and missing repositories fail with the right category, and no message shows the token")
    func accessErrors() async throws {
        try await HubTestServer.with { server in
            try await server.addToken("hf_alice_secret", user: "alice", grants: ["org/*"])
            try await server.addToken("hf_bob_secret", user: "bob")
            _ = try await addStandardRepo(server, "org/private", visibility: "private")
            _ = try await addStandardRepo(server, "org/gated", visibility: "gated")
            try await withTemporaryDirectory { cache in
                var seen: [HubError] = []
                func expectFailure(_ repo: String, token: String?, revision: String = "main", _ category: HubError.Category) async {
                    let error = await hubError { _ = try await download(server, repo, token: token, cache: cache, revision: revision) }
                    #expect(error?.category == category, "\(repo) with \(token ?? "no token"): \(String(describing: error))")
                    if let error { seen.append(error) }
                }
                await expectFailure("org/private", token: nil, .unauthorized)
                await expectFailure("org/private", token: "hf_bob_secret", .repositoryNotFound)
                await expectFailure("org/gated", token: nil, .gatedRepository)
                await expectFailure("org/gated", token: "hf_bob_secret", .gatedRepository)
                await expectFailure("org/missing", token: "hf_bob_secret", .repositoryNotFound)
                await expectFailure("org/private", token: "hf_alice_secret", revision: "no-such-branch", .revisionNotFound)
                try await server.setConfig(["invalid_token": "reject"])
                await expectFailure("org/private", token: "hf_unknown_secret", .unauthorized)
                for error in seen {
                    for text in [error.description, error.message, String(reflecting: error)] {
                        #expect(!text.contains("_secret"), "\(text)")
                    }
                }
                try await server.setConfig(["invalid_token": "anonymous"])
                let gated = try await download(server, "org/gated", token: "hf_alice_secret", cache: cache)
                #expect(gated.files.count == 3)
            }
        }
    }

    @Test("allow and ignore patterns pick files with fnmatch rules, folders with a trailing slash")
    func patterns() async throws {
        try await HubTestServer.with { server in
            let files: [String: Data] = [
                "config.json": config, "tokenizer.json": config, "weights.bin": nested, "sub/one.txt": nested,
                "sub/skip-me.txt": nested, "sub/deeper/two.txt": nested, "other/three.txt": nested,
            ]
            try await server.addRepo("org/patterns", files: files)
            try await withTemporaryDirectory { cache in
                let snapshot = try await download(server, "org/patterns", cache: cache, allow: ["*.json", "sub/"], ignore: ["sub/skip*", "tok*"])
                #expect(Set(snapshot.files.map(\.path)) == ["config.json", "sub/one.txt", "sub/deeper/two.txt"])
                #expect(!FileManager.default.fileExists(atPath: snapshot.snapshotDirectory + "/weights.bin"))
            }
        }
    }

    @Test("a tree listing spread over pages is followed to the end")
    func paging() async throws {
        try await HubTestServer.with { server in
            try await server.setConfig(["page_size": 3])
            var files: [String: Data] = [:]
            for index in 0..<10 { files["dir\(index % 2)/file\(index).txt"] = Data("file \(index)\n".utf8) }
            try await server.addRepo("org/paged", files: files)
            try await withTemporaryDirectory { cache in
                let snapshot = try await download(server, "org/paged", cache: cache)
                #expect(snapshot.files.count == 10)
                let treePages = try await server.log().filter { $0.path.contains("/tree/") }
                #expect(treePages.count >= 4)
            }
        }
    }

    @Test("a corrupted file is detected and kept out of the cache")
    func corruption() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await server.setFaults(["corrupt": ["org/model/model.safetensors"]])
            try await withTemporaryDirectory { cache in
                let error = await hubError { _ = try await download(server, "org/model", cache: cache) }
                #expect(error?.category == .corruptedDownload)
                let blobs = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/models--org--model/blobs")) ?? []
                #expect(!blobs.contains { $0.hasPrefix(sha256Hex(weights)) }, "neither the blob nor its .incomplete is left")
            }
        }
    }

    @Test("a full disk fails the download with the system's reason and puts nothing in the cache")
    func diskFull() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await withTemporaryDirectory { cache in
                // /dev/full opens like a file and fails every write with ENOSPC, as a full file system does; the
                // writes happen on the writer's own queue, and their failure must still reach the caller.
                let incomplete = try incompleteBlobPath(of: weights, in: cache)
                try FileManager.default.createSymbolicLink(atPath: incomplete, withDestinationPath: "/dev/full")
                let error = await hubError { _ = try await download(server, "org/model", cache: cache) }
                #expect(error?.category == .diskFull, "\(String(describing: error))")
                #expect(error?.message.contains("No space left on device") == true, "the system's reason is given")
                #expect(!FileManager.default.fileExists(atPath: String(incomplete.dropLast(".incomplete".count))), "no blob is published")
                let snapshots = (try? FileManager.default.contentsOfDirectory(atPath: cache + "/models--org--model/snapshots")) ?? []
                let linked = snapshots.contains { FileManager.default.fileExists(atPath: "\(cache)/models--org--model/snapshots/\($0)/model.safetensors") }
                #expect(!linked, "the snapshot does not show the file")
            }
        }
    }

    @Test("a file of many write batches arrives whole; when cut, every byte received is kept and resumed from")
    func largeFileCutMidway() async throws {
        // 40 MiB: forty of the writer's 1 MiB batches, more than its 16 MiB of writes in flight.
        let large = testBytes(40 << 20, seed: 7)
        let cut = 25_000_000
        try await HubTestServer.with { server in
            _ = try await server.addRepo("org/large", files: ["model.safetensors": large], lfs: ["model.safetensors"])
            try await server.setFaults(["cut_after": cut, "cut_times": 1])
            try await withTemporaryDirectory { cache in
                let snapshot = try await download(server, "org/large", cache: cache)
                #expect(FileManager.default.contents(atPath: snapshot.snapshotDirectory + "/model.safetensors") == large)
                let gets = try await server.log().filter { $0.isFileGET && $0.path.hasSuffix("model.safetensors") }
                #expect(gets.map(\.status) == [200, 206])
                // AsyncHTTPClient drops what it had buffered when the connection fails (about 0.6 MB here), so
                // the resume may start a little before the cut; it must not start over.
                let resumedFrom = gets.last?.range.flatMap { Int($0.dropFirst(6).dropLast()) } ?? 0
                #expect(resumedFrom > cut - (4 << 20) && resumedFrom <= cut, "resumed from \(resumedFrom)")
            }
        }
    }

    @Test("a partial .incomplete file is resumed with a Range request")
    func resume() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await withTemporaryDirectory { cache in
                try weights.prefix(100_000).write(to: URL(fileURLWithPath: try incompleteBlobPath(of: weights, in: cache)))
                let snapshot = try await download(server, "org/model", cache: cache)
                #expect(FileManager.default.contents(atPath: snapshot.snapshotDirectory + "/model.safetensors") == weights)
                let gets = try await server.log().filter { $0.isFileGET && $0.path.hasSuffix("model.safetensors") }
                #expect(gets.count == 1)
                #expect(gets.first?.range == "bytes=100000-")
                #expect(gets.first?.status == 206)
            }
        }
    }

    @Test("a server that ignores Range gets a full download instead")
    func noRange() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await server.setFaults(["no_range": true])
            try await withTemporaryDirectory { cache in
                try weights.prefix(100_000).write(to: URL(fileURLWithPath: try incompleteBlobPath(of: weights, in: cache)))
                let snapshot = try await download(server, "org/model", cache: cache)
                #expect(FileManager.default.contents(atPath: snapshot.snapshotDirectory + "/model.safetensors") == weights)
                let gets = try await server.log().filter { $0.isFileGET && $0.path.hasSuffix("model.safetensors") }
                #expect(gets.map(\.status) == [200])
            }
        }
    }

    @Test("server errors and connections cut mid-body are retried until the download succeeds")
    func transientFailures() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await server.setFaults(["fail_next": [500, 503, 429], "cut_after": 50_000, "cut_times": 2])
            try await withTemporaryDirectory { cache in
                let snapshot = try await download(server, "org/model", cache: cache)
                #expect(FileManager.default.contents(atPath: snapshot.snapshotDirectory + "/model.safetensors") == weights)
                let log = try await server.log()
                #expect(log.filter { $0.fault?.hasPrefix("fail") == true }.count == 3)
                #expect(log.filter { $0.fault?.hasPrefix("cut") == true }.count == 2)
                #expect(log.contains { $0.range != nil && $0.status == 206 }, "a cut body is resumed, not restarted")
            }
            try await server.setFaults(["fail_every": 3, "fail_status": 502])
            try await withTemporaryDirectory { cache in
                let snapshot = try await download(server, "org/model", cache: cache)
                #expect(snapshot.files.count == 3)
            }
        }
    }

    @Test("a second download of a complete snapshot fetches no file")
    func skipsCompleteFiles() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await withTemporaryDirectory { cache in
                _ = try await download(server, "org/model", cache: cache)
                try await server.clearLog()
                let second = try await download(server, "org/model", cache: cache)
                #expect(second.cachedFileCount == 3)
                #expect(second.downloadedFileCount == 0)
                #expect(try await server.log().filter(\.isFileGET).isEmpty)
            }
        }
    }

    @Test("an unreachable endpoint is reported as such")
    func unreachable() async throws {
        try await withTemporaryDirectory { cache in
            let error = await hubError {
                try await HubClient.withClient(
                    endpoint: "http://127.0.0.1:1", retryPolicy: HubRetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(10))
                ) { client in
                    _ = try await HubDownloader(client: client).download(
                        HubDownloadRequest(repository: try HubRepository("org/model"), cacheDirectory: cache))
                }
            }
            #expect(error?.category == .unreachable)
        }
    }

    @Test("progress displays count every byte and file")
    func progress() async throws {
        try await HubTestServer.with { server in
            _ = try await addStandardRepo(server, "org/model")
            try await withTemporaryDirectory { cache in
                let lines = LineCollector()
                _ = try await download(server, "org/model", cache: cache, progress: ProgressLogLines(interval: .seconds(3600)) { lines.add($0) })
                let text = lines.all
                #expect(text.first?.hasPrefix("downloading 3 files") == true)
                #expect(text.contains { $0.hasPrefix("done a/b/nested.txt") })
                #expect(text.last?.contains("3/3 files") == true)

                var pipe: [Int32] = [0, 0]
                #expect(Glibc.pipe(&pipe) == 0)
                let bar = TerminalProgressBar(fileDescriptor: pipe[1])
                bar.transferStarted(HubTransferPlan(direction: .download, fileCount: 1, byteCount: 2048, skippedFileCount: 0))
                bar.bytesTransferred(2048)
                bar.fileCompleted(path: "x", size: 2048)
                bar.transferFinished()
                close(pipe[1])
                let output = String(decoding: FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)
                #expect(output.hasPrefix("\r"))
                #expect(output.contains("100% [") && output.contains("2.00 KiB / 2.00 KiB") && output.hasSuffix("\n"))
            }
        }
    }
}

/// Collects progress lines from many tasks.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
