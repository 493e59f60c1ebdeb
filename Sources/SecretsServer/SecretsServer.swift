import Hummingbird
import Logging
import NIOCore
import SecretStore

/// The secrets HTTP service: the reference's `/apis/secrets/v2` contract over a ``SecretStore``, so that the
/// NeMo Platform SDK works against it unchanged.
public enum SecretsServer {
    /// The router with every route and middleware: request log, error rendering, caller identification.
    public static func makeRouter(
        store: SecretStore, configuration: SecretsServerConfiguration, logger: Logger
    ) -> Router<SecretsRequestContext> {
        let router = Router(context: SecretsRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: ErrorResponseMiddleware(logger: logger))

        // Readiness: answers without credentials, and is the constant-reply ceiling the benchmarks compare with.
        router.get("/health") { _, _ in HealthReply.ok }

        for (path, methods) in SecretRoutes.allowedMethods {
            for method in Self.methodsAnswered405 where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw APIError(.methodNotAllowed, "Method Not Allowed")
                }
            }
        }

        let authenticated = router.group().add(middleware: CallerMiddleware(store: store, configuration: configuration))
        SecretRoutes(store: store).register(on: authenticated)
        return router
    }

    /// A Hummingbird application serving the store; `onRunning` receives the bound port (useful with port 0).
    public static func makeApplication(
        store: SecretStore, configuration: SecretsServerConfiguration, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try configuration.validate()
        return Application(
            router: makeRouter(store: store, configuration: configuration, logger: logger),
            server: .http1(configuration: .init(additionalChannelHandlers: [DrainBeforeCloseHandler()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "jobrunner"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    private static let methodsAnswered405: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
}

/// The `/health` reply.
struct HealthReply: ResponseGenerator {
    static let ok = HealthReply()

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
}
