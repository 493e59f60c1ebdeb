import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension HubClient {
    /// GETs `url` into a delegate that `makeDelegate` makes for each hop, following redirects as
    /// ``send(_:deadline:doing:)`` does: the token goes only to the Hub's own origin, never to a CDN. Returns the
    /// final answer and whether the token went with it. Failures below HTTP become `RetryableFailure(.unreachable)`.
    func streamedGET(
        _ url: String, headers: [(String, String)], doing what: String, makeDelegate: () -> BlobBodyDelegate
    ) async throws -> (outcome: BlobBodyDelegate.Outcome, tokenSent: Bool) {
        var current = url
        for _ in 0..<10 {
            var requestHeaders = HTTPHeaders(headers)
            requestHeaders.add(name: "User-Agent", value: userAgent)
            let authorization = authorization(for: current)
            if let authorization { requestHeaders.replaceOrAdd(name: "Authorization", value: authorization) }
            let delegate = makeDelegate()
            let outcome: BlobBodyDelegate.Outcome
            do {
                let request = try HTTPClient.Request(url: current, method: .GET, headers: requestHeaders)
                let task = http.execute(request: request, delegate: delegate, deadline: nil, logger: logger)
                outcome = try await withTaskCancellationHandler {
                    try await task.futureResult.get()
                } onCancel: {
                    task.cancel()
                }
            } catch let error as HubError {
                throw error
            } catch let failure as RetryableFailure {
                throw failure
            } catch let error as HTTPClientError where error == .cancelled {
                throw CancellationError()
            } catch {
                try Task.checkCancellation()
                let authority = HTTPOrigin(url: current)?.authority ?? "the server"
                let lost = delegate.receivedContent ? " (connection lost mid-file)" : ""
                throw RetryableFailure(.unreachable(authority, doing: what + lost, underlying: error))
            }
            guard let target = Self.redirectTarget(status: outcome.head.status.code, headers: outcome.head.headers, from: current)
            else { return (outcome, authorization != nil) }
            current = target
        }
        throw HubError(.serverError, "Too many redirects while \(what).")
    }
}
