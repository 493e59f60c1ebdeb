import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One connection to a Hub endpoint: its address, the token, the retry policy and a pool of keep-alive HTTP
/// connections shared by every download and upload made through it. Create one per endpoint and token, and call
/// `shutdown()` when done (or use `withClient`).
public final class HubClient: Sendable {
    /// The Hub's base URL without a trailing slash, e.g. `https://huggingface.co`.
    public let endpoint: String
    /// How transient failures are retried.
    public let retryPolicy: HubRetryPolicy
    let token: HubToken?
    let origin: HTTPOrigin
    let http: HTTPClient
    let logger: Logger

    /// A client for `endpoint` (pass HF_ENDPOINT; default `https://huggingface.co`) sending `token` to that
    /// endpoint only. `maxConnections` bounds the keep-alive pool per host; `readTimeout` is how long a stalled
    /// connection is waited on before it counts as a transient failure.
    public init(
        endpoint: String = "https://huggingface.co",
        token: HubToken? = nil,
        retryPolicy: HubRetryPolicy = .standard,
        maxConnections: Int = 16,
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(60),
        logger: Logger = Logger(label: "huggingface.hub")
    ) throws(HubError) {
        var base = endpoint.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        guard let origin = HTTPOrigin(url: base) else {
            throw HubError(.invalidRequest, "'\(endpoint)' is not an http(s) URL for the Hub endpoint (HF_ENDPOINT).")
        }
        self.endpoint = base
        self.origin = origin
        self.token = token
        self.retryPolicy = retryPolicy
        self.logger = logger
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout), read: TimeAmount(readTimeout)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnections)),
            decompression: .disabled
        )
        configuration.httpVersion = .automatic
        // A refused connection should fail at once and be retried by `retryPolicy`, not spin until connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the connection pool. Call once, after the last transfer.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Runs `body` with a new client and shuts it down afterwards, whatever happens.
    public static func withClient<T: Sendable>(
        endpoint: String = "https://huggingface.co",
        token: HubToken? = nil,
        retryPolicy: HubRetryPolicy = .standard,
        logger: Logger = Logger(label: "huggingface.hub"),
        _ body: (HubClient) async throws -> T
    ) async throws -> T {
        let client = try HubClient(endpoint: endpoint, token: token, retryPolicy: retryPolicy, logger: logger)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Whether requests to the Hub carry a token (for error messages).
    var hasToken: Bool { token != nil }
}

extension TimeAmount {
    /// The same span in NIO's unit.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
