import HTTPTypes
import Hummingbird
import SecretStore

/// Decides who is calling: everyone is unrestricted with auth disabled; otherwise a bearer token, or with
/// `--trust-principal-headers` the gateway's `X-NMP-Principal-Id`. A service may name the user it acts for in
/// `X-NMP-Principal-On-Behalf-Of`. Requests without a known caller stop here with 401.
struct CallerMiddleware: RouterMiddleware {
    typealias Context = SecretsRequestContext
    let store: SecretStore
    let configuration: SecretsServerConfiguration

    static let principalID = HTTPField.Name("X-NMP-Principal-Id")!
    static let onBehalfOf = HTTPField.Name("X-NMP-Principal-On-Behalf-Of")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let caller = try identify(request)
        context.caller = caller
        context.record.principal = caller.logName
        return try await next(request, context)
    }

    private func identify(_ request: Request) throws -> Caller {
        if configuration.authentication == .disabled { return .unrestricted }
        let principal: Principal
        if configuration.trustPrincipalHeaders {
            guard let id = request.headers[Self.principalID], !id.isEmpty else {
                throw AccessDenial.unauthenticated("Unauthorized: the gateway sent no X-NMP-Principal-Id")
            }
            do {
                principal = try Principal(name: id, isService: id.hasPrefix("service:"))
            } catch {
                throw AccessDenial.unauthenticated("Unauthorized: X-NMP-Principal-Id is not a valid principal name")
            }
        } else {
            guard let authorization = request.headers[.authorization] else {
                throw AccessDenial.unauthenticated("Unauthorized: send Authorization: Bearer <token>")
            }
            guard let token = Self.bearerToken(in: authorization) else {
                throw AccessDenial.unauthenticated("Unauthorized: the Authorization header must be 'Bearer <token>'")
            }
            principal = try store.authenticate(bearerToken: token)
        }
        guard principal.isService, let user = request.headers[Self.onBehalfOf], !user.isEmpty else {
            return .principal(principal, onBehalfOf: nil)
        }
        do {
            try Principal.validate(user)
        } catch {
            throw AccessDenial.forbidden("Forbidden: X-NMP-Principal-On-Behalf-Of is not a valid principal name")
        }
        return .principal(principal, onBehalfOf: user)
    }

    /// The token of an `Authorization: Bearer <token>` value (the scheme in any case), or nil for any other form.
    static func bearerToken(in authorization: String) -> String? {
        let scheme = "bearer ".utf8
        let utf8 = authorization.utf8
        guard utf8.count > scheme.count else { return nil }
        for (sent, expected) in zip(utf8, scheme) {
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(sent) ? sent | 0x20 : sent
            guard folded == expected else { return nil }
        }
        return String(Substring(utf8.dropFirst(scheme.count)))
    }
}
