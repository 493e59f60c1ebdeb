import AsyncHTTPClient
import Logging

/// The HTTP client telemetry uses unless given another: one per process, never shut down (like
/// `HTTPClient.shared`), but it does not retry failed connection attempts by itself, so that while W&B is
/// down a request fails at once and ``TelemetryPusher``'s own backoff decides when to try again.
public enum TelemetryHTTPClient {
    /// The process-wide client.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
            backgroundActivityLogger: Logger(label: "jobrunner.telemetry.http"))
    }()
}
