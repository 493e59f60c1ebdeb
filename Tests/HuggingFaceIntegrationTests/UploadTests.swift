import Foundation
import HuggingFaceIntegration
import Testing

/// Uploads against the real Hub test server, checked by downloading the result back.
@Suite(.serialized) struct UploadTests {
    func makeFolder(_ root: String, files: [String: Data]) throws {
        for (path, data) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    @Test("a folder with small and LFS files is committed once and downloads back byte-identical")
    func roundTrip() async throws {
        try await HubTestServer.with { server in
            try await server.setConfig(["lfs_threshold": 4096])
            try await server.addToken("hf_writer_secret", user: "alice", write: true)
            let files: [String: Data] = [
                "config.json": Data("{}\n".utf8), "nested/dir/notes.txt": Data("hello\n".utf8),
                "weights/model.bin": testBytes(200_000, seed: 7), "big.dat": testBytes(50_000, seed: 8),
            ]
            try await withTemporaryDirectory { tmp in
                let folder = tmp + "/upload"
                try makeFolder(folder, files: files)
                try makeFolder(folder, files: [".git/config": Data("x".utf8), ".cache/huggingface/state": Data("y".utf8)])
                try await HubClient.withClient(endpoint: server.endpoint, token: HubToken("hf_writer_secret")) { client in
                    let repository = try HubRepository("alice/uploaded")
                    let commit = try await HubUploader(client: client).upload(
                        HubUploadRequest(
                            repository: repository, folder: folder, commitMessage: "first upload", createRepository: true,
                            privateRepository: true))
                    #expect(commit.oid.count == 40)
                    #expect(commit.url.hasSuffix(commit.oid))
                    #expect(commit.lfsFileCount == 2 && commit.regularFileCount == 2)
                    let log = try await server.log()
                    #expect(log.filter { $0.path.contains("/commit/") }.count == 1)
                    #expect(log.filter { $0.method == "PUT" }.count == 2)
                    #expect(log.filter { $0.server == "cdn" }.allSatisfy { !$0.authorization })

                    let snapshot = try await HubDownloader(client: client).download(
                        HubDownloadRequest(repository: repository, cacheDirectory: tmp + "/cache"))
                    #expect(snapshot.commit == commit.oid)
                    #expect(Set(snapshot.files.map(\.path)) == Set(files.keys).union([".gitattributes"]))
                    for (path, data) in files {
                        #expect(FileManager.default.contents(atPath: snapshot.snapshotDirectory + "/" + path) == data, "\(path)")
                    }

                    // A second upload of the same content sends no LFS bytes again.
                    try await server.clearLog()
                    let again = try await HubUploader(client: client).upload(HubUploadRequest(repository: repository, folder: folder))
                    #expect(again.lfsAlreadyPresentCount == 2)
                    #expect(try await server.log().filter { $0.method == "PUT" }.isEmpty)
                }
            }
        }
    }

    @Test("creating a repository that exists is reported, not an error")
    func createExisting() async throws {
        try await HubTestServer.with { server in
            try await server.addToken("hf_writer_secret", user: "alice", write: true)
            try await HubClient.withClient(endpoint: server.endpoint, token: HubToken("hf_writer_secret")) { client in
                let uploader = HubUploader(client: client)
                let repository = try HubRepository("alice/data", kind: .dataset)
                let first = try await uploader.createRepository(repository)
                let second = try await uploader.createRepository(repository)
                #expect(!first.alreadyExisted)
                #expect(second.alreadyExisted)
                #expect(second.url.hasSuffix("datasets/alice/data"))
            }
        }
    }

    @Test("uploads without a token or with a read-only token fail as unauthorized and forbidden")
    func uploadErrors() async throws {
        try await HubTestServer.with { server in
            try await server.addToken("hf_reader_secret", user: "alice", write: false)
            try await server.addRepo("alice/model", files: ["README.md": Data("hi\n".utf8)])
            try await withTemporaryDirectory { folder in
                try makeFolder(folder, files: ["a.txt": Data("a".utf8)])
                for (token, category) in [(nil, HubError.Category.unauthorized), ("hf_reader_secret", .forbidden)] {
                    do {
                        try await HubClient.withClient(endpoint: server.endpoint, token: HubToken(token)) { client in
                            _ = try await HubUploader(client: client).upload(
                                HubUploadRequest(repository: try HubRepository("alice/model"), folder: folder))
                        }
                        Issue.record("the upload should fail")
                    } catch let error as HubError {
                        #expect(error.category == category, "\(error)")
                        #expect(!error.description.contains("_secret"))
                    }
                }
            }
        }
    }
}
