import Foundation
import Logging
import SecretStore
import SecretsServer
import Testing

/// The secrets service running in this process on a free port of 127.0.0.1, over a store in a fresh
/// directory, with every exchange and log line kept for the leak scan.
///
/// In-process so a test starts a server in milliseconds; requests still cross a real TCP socket, so routing,
/// framing, limits and headers are the real ones.
final class TestServer: Sendable {
    /// The directory holding the database (and the development key).
    let directory: TemporaryDirectory
    /// The store the server serves; tests use it to arrange fixtures and to check effects.
    let store: SecretStore
    /// The bound port.
    let port: Int
    /// Every log line of the server and the store.
    let logs: LogRecorder
    /// Every exchange made through ``send(_:_:token:headers:json:body:)`` and ``send(raw:)``.
    let transcript = Transcript()
    /// Every token issued through ``token(for:isService:)``, which no reply or log line may contain.
    private let issuedTokens = Locked<[String]>([])
    private let service: Task<Void, any Error>

    private init(directory: TemporaryDirectory, store: SecretStore, port: Int, logs: LogRecorder, service: Task<Void, any Error>) {
        self.directory = directory
        self.store = store
        self.port = port
        self.logs = logs
        self.service = service
    }

    /// Opens a store in `directory` (with the development key unless `configFile` names providers) and serves
    /// it with `configuration`, whose port is replaced by 0.
    static func start(
        _ configuration: SecretsServerConfiguration = SecretsServerConfiguration(),
        directory: TemporaryDirectory = TemporaryDirectory(), configFile: String? = nil
    ) async throws -> TestServer {
        let logs = LogRecorder()
        let store = try SecretStore.open(
            settings: StoreSettings(dataDirectory: directory.path, configFile: configFile), environment: [:], logger: logs.logger)
        var configuration = configuration
        configuration.port = 0
        let bound = PortPromise()
        let service = Task { [configuration] in
            do {
                let application = try SecretsServer.makeApplication(
                    store: store, configuration: configuration, logger: logs.logger, onRunning: { bound.fulfill(.success($0)) })
                // No signal handlers: the test process keeps its own, and SIGTERM is for `jobrunner serve` tests.
                try await application.runService(gracefulShutdownSignals: [])
                bound.fulfill(.failure(CancellationError()))
            } catch {
                bound.fulfill(.failure(error))
                throw error
            }
        }
        let port = try await bound.value()
        return TestServer(directory: directory, store: store, port: port, logs: logs, service: service)
    }

    /// Sends a well-formed request and returns the response; a missing response is a test failure (and comes
    /// back as status 0 so the caller's checks fail too).
    @discardableResult
    func send(
        _ method: String, _ target: String, token: String? = nil, headers: [(String, String)] = [], json: String? = nil,
        body: [UInt8]? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> RawResponse {
        var fields = headers
        if let token { fields.append(("Authorization", "Bearer \(token)")) }
        var payload = body
        if let json {
            fields.append(("Content-Type", "application/json"))
            payload = Array(json.utf8)
        }
        let outcome = await send(raw: RawRequest(method: method, target: target, headers: fields, body: payload))
        guard let response = outcome.response else {
            Issue.record("\(method) \(target): \(outcome)", sourceLocation: sourceLocation)
            return RawResponse(status: 0, headers: [], body: [])
        }
        return response
    }

    /// Sends exact bytes and returns however the exchange ended.
    func send(raw request: RawRequest) async -> ExchangeOutcome {
        let outcome = await RawHTTPClient.exchange(port: port, request)
        transcript.append(Exchange(request: request, path: Self.path(of: request), outcome: outcome))
        return outcome
    }

    /// A new bearer token for `name`.
    func token(for name: String, isService: Bool = false) throws -> String {
        let token = try #require(try store.createToken(for: name, isService: isService).revealedString())
        issuedTokens.update { $0.append(token) }
        return token
    }

    /// Stops the server, closes the store, and fails the test if any response or log line leaked a value.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        service.cancel()
        _ = await service.result
        try store.close()
        for leak in LeakScanner.leaks(in: transcript.exchanges, logLines: logs.lines, tokens: issuedTokens.value) {
            Issue.record("value leak: \(leak)", sourceLocation: sourceLocation)
        }
    }

    /// The path of a request's target, without its query.
    static func path(of request: RawRequest) -> String {
        let line = request.bytes.prefix { $0 != 0x0D && $0 != 0x0A }
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return "" }
        let target = String(decoding: parts[1], as: UTF8.self)
        return String(target.prefix { $0 != "?" })
    }
}

/// The port `onRunning` reports, handed to whoever waits for it; or the error that stopped the server first.
final class PortPromise: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Int, any Error>?
    private var waiters: [CheckedContinuation<Int, any Error>] = []

    func fulfill(_ outcome: Result<Int, any Error>) {
        let waiting: [CheckedContinuation<Int, any Error>] = lock.withLock {
            guard result == nil else { return [] }
            result = outcome
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume(with: outcome) }
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known: Result<Int, any Error>? = lock.withLock {
                if result == nil { waiters.append(continuation) }
                return result
            }
            if let known { continuation.resume(with: known) }
        }
    }
}
