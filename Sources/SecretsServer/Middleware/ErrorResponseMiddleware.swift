import Hummingbird
import Logging
import NIOCore
import SecretStore

/// Turns every error into a `{"detail": ...}` response at one edge, so handlers just throw.
struct ErrorResponseMiddleware: RouterMiddleware {
    typealias Context = SecretsRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as SecretStoreError {
            if error.category == .internalFailure {
                logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return try APIError(error).response(from: request, context: context)
        } catch let denial as AccessDenial {
            return try APIError(denial).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError(.contentTooLarge, "Request body too large: the limit is 1 MiB").response(from: request, context: context)
        } catch let error as HTTPError {
            return try APIError(error.status, Self.message(for: error)).response(from: request, context: context)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            return try APIError(.internalServerError, "An unexpected error occurred.").response(from: request, context: context)
        }
    }

    private static func message(for error: HTTPError) -> String {
        switch error.status {
        case .notFound: return "Not Found"
        case .contentTooLarge: return "Request body too large: the limit is 1 MiB"
        case .methodNotAllowed: return "Method Not Allowed"
        default: return error.status.reasonPhrase
        }
    }
}
