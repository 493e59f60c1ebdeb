import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SecretStore

/// Resolves references through the secrets service's `/access` route, as a service principal acting on behalf of
/// the job's owner: the service lets it read a secret only when the owner holds a role in the secret's workspace.
public struct RemoteSecretResolver: SecretResolver {
    private let serviceURL: String
    private let serviceToken: SecretValue
    private let owner: String
    private let timeout: TimeAmount

    /// A resolver calling `serviceURL` (e.g. `http://127.0.0.1:8080`) with `serviceToken` on behalf of `owner`.
    public init(serviceURL: String, serviceToken: SecretValue, owner: String, timeout: TimeAmount = .seconds(15)) {
        var url = serviceURL
        while url.hasSuffix("/") { url.removeLast() }
        self.serviceURL = url
        self.serviceToken = serviceToken
        self.owner = owner
        self.timeout = timeout
    }

    /// The service principal's token is not named here: the service knows who it is; the owner is what matters.
    public var principalDescription: String { "service token on behalf of \(owner)" }

    /// Calls `GET /apis/secrets/v2/workspaces/WS/secrets/NAME/access` and maps the answer.
    public func resolve(_ reference: SecretReference) async -> Result<SecretValue, ResolutionFailure> {
        let url =
            "\(serviceURL)/apis/secrets/v2/workspaces/\(Self.pathSegment(reference.workspace.rawValue))"
            + "/secrets/\(Self.pathSegment(reference.name.rawValue))/access"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer " + (serviceToken.revealedString() ?? ""))
        request.headers.add(name: "X-NMP-Principal-On-Behalf-Of", value: owner)
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            return .failure(.unreachable("\(serviceURL): \(Self.describe(error))"))
        }
        let detail = Self.detail(in: body)
        switch response.status.code {
        case 200:
            guard let reply = try? JSONDecoder().decode(AccessReply.self, from: Data(body.readableBytesView)) else {
                return .failure(.unreachable("\(serviceURL) answered 200 without a value; is this a secrets service?"))
            }
            return .success(SecretValue(reply.value))
        case 404:
            return .failure(.notFound)
        case 401:
            return .failure(
                .forbidden("the service refused the runner's service token (401: \(detail)); check --service-token-file"))
        case 403:
            return .failure(.forbidden("\(detail) (owner '\(owner)')"))
        case 500..<600 where detail.localizedCaseInsensitiveContains("decrypt"):
            return .failure(.cannotDecrypt(detail))
        default:
            return .failure(.unreachable("\(serviceURL) answered HTTP \(response.status.code): \(detail)"))
        }
    }

    private struct AccessReply: Decodable {
        let value: String
    }

    private struct ErrorReply: Decodable {
        let detail: String
    }

    /// The service's `{"detail": ...}` text, or a short excerpt of whatever it sent.
    private static func detail(in body: ByteBuffer) -> String {
        if let reply = try? JSONDecoder().decode(ErrorReply.self, from: Data(body.readableBytesView)) { return reply.detail }
        return "no detail"
    }

    private static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? text
    }

    /// A short cause an operator can act on, rather than the client library's nested error text.
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("refused") { return "connection refused; is the secrets service running at this address?" }
        if let error = error as? HTTPClientError,
            error == .deadlineExceeded || error == .connectTimeout || error == .readTimeout
        {
            return "no answer in time (\(error)); is the service overloaded or the address wrong?"
        }
        if text.contains("NXDOMAIN") || text.contains("lookup") { return "the host name does not resolve (\(text))" }
        return text
    }
}
