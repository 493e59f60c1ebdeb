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
        // Values built without string interpolation: this runs once per request.
        logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(Self.milliseconds(elapsed)),
                "principal": .string(context.record.principal),
            ])
        return response
    }

    /// `duration` in milliseconds to the microsecond, written as `Double` would print that value: `0.123`,
    /// `12.5`, `3.0`.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + (attoseconds + 500_000_000_000) / 1_000_000_000_000
        var fraction = Int(microseconds % 1000)
        var text = String(microseconds / 1000)
        text.append(".")
        guard fraction != 0 else {
            text.append("0")
            return text
        }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let written = String(fraction)
        for _ in written.utf8.count..<digits { text.append("0") }
        text.append(written)
        return text
    }
}
