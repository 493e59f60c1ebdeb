import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension HubClient {
    /// A request to `url` with the headers every Hub request carries; the token is added only when `url` is on
    /// the Hub's own origin.
    func makeRequest(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = []) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: userAgent)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let authorization = authorization(for: url) { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        return request
    }

    /// The `Authorization` value for a request to `url`: the token's, when `url` is on the Hub's own origin (same
    /// scheme, host and port), else nil, so that a CDN or S3 never sees it.
    func authorization(for url: String) -> String? {
        guard let token, HTTPOrigin(url: url) == origin else { return nil }
        return token.authorizationHeaderValue
    }

    /// Where a redirect answer sends a GET or HEAD of `url`, or nil when the answer is no redirect.
    static func redirectTarget(status: UInt, headers: HTTPHeaders, from url: String) -> String? {
        guard [301, 302, 303, 307, 308].contains(status), let location = headers.first(name: "Location") else { return nil }
        return URL(string: location, relativeTo: URL(string: url))?.absoluteString
    }

    /// The `User-Agent` of every request.
    var userAgent: String { "jobrunner-huggingface/1.0" }

    /// Sends `request` once, following redirects itself (GET and HEAD only) so that the token is dropped whenever
    /// the target's scheme, host or port differs from the Hub's: a CDN or S3 must never see it. Failures below
    /// HTTP become `RetryableFailure(.unreachable)`.
    func send(_ request: HTTPClientRequest, deadline: NIODeadline, doing what: String) async throws -> HTTPClientResponse {
        var current = request
        for _ in 0..<10 {
            let response: HTTPClientResponse
            do {
                response = try await http.execute(current, deadline: deadline, logger: logger)
            } catch let error as HTTPClientError where error == .cancelled {
                throw CancellationError()
            } catch {
                try Task.checkCancellation()
                let authority = HTTPOrigin(url: current.url)?.authority ?? "the server"
                throw RetryableFailure(.unreachable(authority, doing: what, underlying: error))
            }
            guard current.method == .GET || current.method == .HEAD,
                let target = Self.redirectTarget(status: response.status.code, headers: response.headers, from: current.url)
            else { return response }
            // The redirect body is empty or irrelevant; drop it so the connection goes back to the pool.
            _ = try? await response.body.collect(upTo: 1 << 16)
            var next = HTTPClientRequest(url: target)
            next.method = current.method
            next.headers = current.headers
            if let authorization = authorization(for: target) {
                next.headers.replaceOrAdd(name: "Authorization", value: authorization)
            } else {
                next.headers.remove(name: "Authorization")
            }
            current = next
        }
        throw HubError(.serverError, "Too many redirects while \(what).")
    }

    /// A complete small exchange (API calls): sends with retries, returns the status, headers and body of a
    /// 2xx answer (or of a status listed in `accepting`), and turns anything else into a `HubError` about `subject`.
    func exchange(
        _ method: HTTPMethod,
        _ url: String,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil,
        subject: String,
        accepting: Set<Int> = [],
        timeout: Duration = .seconds(120)
    ) async throws -> (status: Int, headers: HTTPHeaders, body: ByteBuffer) {
        try await retryPolicy.run(onRetry: logRetry) { _ in
            var request = makeRequest(method, url, headers: headers)
            if let body { request.body = .bytes(body) }
            let response = try await send(request, deadline: .now() + TimeAmount(timeout), doing: "asking for \(subject)")
            let replyBody: ByteBuffer
            do {
                replyBody = try await response.body.collect(upTo: 256 << 20)
            } catch {
                throw RetryableFailure(.unreachable(origin.authority, doing: "reading the answer about \(subject)", underlying: error))
            }
            let status = Int(response.status.code)
            if (200..<300).contains(status) || accepting.contains(status) {
                return (status, response.headers, replyBody)
            }
            let error = HubError.from(
                status: status, headers: response.headers, body: replyBody, subject: subject,
                tokenSent: request.headers.contains(name: "Authorization"))
            if status == 429 || status >= 500 {
                throw RetryableFailure(error, retryAfter: Self.retryAfter(response.headers))
            }
            throw error
        }
    }

    /// `exchange` for a JSON answer decoded as `T`.
    func exchangeJSON<T: Decodable>(
        _ type: T.Type,
        _ method: HTTPMethod,
        _ url: String,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil,
        subject: String
    ) async throws -> (value: T, headers: HTTPHeaders) {
        let reply = try await exchange(method, url, headers: headers, body: body, subject: subject)
        do {
            return (try JSONDecoder().decode(T.self, from: Data(reply.body.readableBytesView)), reply.headers)
        } catch {
            throw HubError.protocolViolation("the answer about \(subject) is not the expected JSON (\(error))")
        }
    }

    /// A server's `Retry-After` in seconds, if any.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        headers.first(name: "Retry-After").flatMap(Int.init).map { .seconds($0) }
    }

    /// Logs one retry at notice level (the message never contains the token).
    func logRetry(_ attempt: Int, _ error: HubError) {
        logger.notice("retrying after attempt \(attempt) failed: \(error.message)")
    }

    /// `value` percent-encoded for a URL path; `/` is kept unless `keepSlash` is false (revisions like `refs/pr/1`).
    static func pathEncoded(_ value: String, keepSlash: Bool = true) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        if keepSlash { allowed.insert("/") }
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// `{endpoint}/api/{kind}s/{repo}`: the root of a repository's API routes.
    func apiURL(_ repository: HubRepository) -> String {
        "\(endpoint)/api/\(repository.kind.apiSegment)/\(repository.id)"
    }
}
