import Foundation
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Graceful shutdown: on SIGTERM or SIGINT `jobrunner serve` stops accepting, lets requests in flight finish,
/// then closes the database, so nothing is lost or left half-written.
///
/// "In flight" is observed, not assumed from timing: a rotation is in flight once the server has logged its
/// start, and a reply is in flight once its first bytes have reached a client that reads slowly.
struct ShutdownTests {
    /// A store of `count` secrets wrapped by provider `v1`, served with `v2` current (and `v1` to unwrap), so a
    /// rotation has `count` data keys to move; long descriptions make a full list a reply of megabytes.
    struct RotationFixture {
        static let count = 2_000
        let directory = TemporaryDirectory()
        let config: String
        let v2: String
        let token: String
        let values: [String]

        init() throws {
            config = directory.file("config.yaml")
            let v1 = randomKey()
            v2 = randomKey()
            try writeEncryptionConfig(config, current: "v1", [("v1", v1)])
            let store = try openStore(directory.path, config: config)
            let description = String(repeating: "d", count: 4_000)
            values = (0..<Self.count).map { SecretValues.make("shutdown-\($0)") }
            for (index, value) in values.enumerated() {
                try store.createSecret(SecretReference(parsing: "default/s-\(index)"), value: SecretValue(value), description: description)
            }
            token = try #require(try store.createToken(for: "root", isService: false).revealedString())
            try store.grant(.platformAdmin, to: "root", in: nil)
            try store.close()
            try writeEncryptionConfig(config, current: "v2", [("v1", v1), ("v2", v2)])
        }

        /// After the server is gone: the database file alone (no WAL) holds every secret under the provider it
        /// should, and a store with only `v2` opens every value, which proves the rotation's work was all saved.
        func checkClosedCleanly(rotated: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let provider = rotated ? "v2" : "v1"
            let alone = try ClosedDatabase.mainFileContents(in: directory.path)
            #expect(
                alone.secrets.count == Self.count && alone.providers == [provider: Self.count],
                """
                the WAL was checkpointed into the database file on close: the file alone has \(alone.secrets.count) secrets, \
                providers \(alone.providers); \(ClosedDatabase.walSize(in: directory.path)) bytes left in the WAL
                """,
                sourceLocation: sourceLocation)
            if rotated { try writeEncryptionConfig(config, current: "v2", [("v2", v2)]) }
            let store = try openStore(directory.path, config: config)
            #expect(try store.secretCountsByProvider() == [provider: Self.count], sourceLocation: sourceLocation)
            for index in stride(from: 0, to: Self.count, by: 97) {
                #expect(try store.accessSecret(SecretReference(parsing: "default/s-\(index)")).revealedString() == values[index])
            }
            try store.close()
        }
    }

    /// SIGTERM during a rotation of 2,000 data keys: the rotation completes and is answered in full, then the
    /// process exits 0 with the database closed.
    @Test func sigtermLetsAnInFlightRotationFinish() async throws {
        let fixture = try RotationFixture()
        let server = try await ServeProcess.start(dataDirectory: fixture.directory.path, config: fixture.config)
        let request = RawRequest(
            method: "POST", target: "\(api)/rotate-encryption-keys", headers: [("Authorization", "Bearer \(fixture.token)")])
        async let reply = RawHTTPClient.exchange(port: server.port, request)
        #expect(try await server.waitForLog("Starting rotation of encryption keys"), "the rotation started:\n\(server.log)")
        server.send(SIGTERM)

        let outcome = await reply
        #expect(outcome.response?.status == 202, "\(outcome)")
        #expect(outcome.response?.text == #"{"rotated_secrets":\#(RotationFixture.count),"success":true}"#, "\(outcome)")
        #expect(await server.exitStatus() == 0, "\(server.log)")
        #expect(server.log.contains("Stopped; the database is closed"), "\(server.log)")
        try fixture.checkClosedCleanly(rotated: true)
    }

    /// SIGINT while a reply of megabytes is still being written to a slow reader: the reply arrives whole, then
    /// the process exits 0.
    @Test func sigintLetsAReplyBeingWrittenFinish() async throws {
        let fixture = try RotationFixture()
        let server = try await ServeProcess.start(dataDirectory: fixture.directory.path, config: fixture.config)
        let token = fixture.token
        let port = server.port
        let connection = try #require(RawConnection(port: port, receiveBufferSize: 4096))
        let deadline = ContinuousClock.now + RawHTTPClient.patience
        connection.send(
            RawRequest(
                method: "GET", target: secretsPath() + "?page_size=\(RotationFixture.count)", headers: [("Authorization", "Bearer \(token)")]
            ).bytes, deadline: deadline)
        #expect(connection.awaitBytes(1, deadline: deadline), "the reply has begun")
        server.send(SIGINT)

        // Read the rest on a thread of its own (blocking reads).
        let outcome = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: connection.receiveResponse(isHead: false, deadline: deadline)) }.start()
        }
        let response = try #require(outcome.response, "\(outcome)")
        #expect(response.status == 200)
        #expect((response.object?["data"] as? [Any])?.count == RotationFixture.count, "the whole reply arrived")
        #expect(await server.exitStatus() == 0, "\(server.log.suffix(2000))")
        #expect(server.log.contains("Stopped; the database is closed"))
        try fixture.checkClosedCleanly(rotated: false)
    }

    /// In process: stopping the service task and closing the store keeps every write, in the database file itself.
    @Test func stoppingTheServiceKeepsEveryWrite() async throws {
        let directory = TemporaryDirectory()
        let server = try await TestServer.start(directory: directory)
        let root = try server.platformAdminToken()
        var values: [String: String] = [:]
        for index in 0..<10 {
            values["s-\(index)"] = SecretValues.make()
            #expect(
                await server.send("POST", secretsPath(), token: root, json: #"{"name":"s-\#(index)","value":"\#(values["s-\(index)"]!)"}"#).status
                    == 201)
        }
        #expect(OwnListeningSockets.contains(port: server.port), "the check can see the service's listening socket")
        try await server.finish()
        #expect(!OwnListeningSockets.contains(port: server.port), "the port is closed once the service has stopped")

        let alone = try ClosedDatabase.mainFileContents(in: directory.path)
        #expect(
            alone.secrets.count == values.count,
            """
            the database file alone holds every secret once the store is closed: \(alone.secrets.count) of \(values.count); \
            \(ClosedDatabase.walSize(in: directory.path)) bytes left in the WAL
            """)
        let store = try openStore(directory.path)
        for (name, value) in values { #expect(storedValue(store, "default", name) == value) }
        try store.close()
    }
}
