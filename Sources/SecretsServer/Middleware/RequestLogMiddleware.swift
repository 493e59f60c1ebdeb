import Hummingbird
import Logging

/// One structured log line per request: method, path, status, duration and principal; never a body, a query
/// string or a header value, so no secret can reach the log through it.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SecretsRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)",
                "path": "\(request.uri.path)",
                "status": "\(response.status.code)",
                "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
                "principal": "\(context.record.principal)",
            ])
        return response
    }
}
