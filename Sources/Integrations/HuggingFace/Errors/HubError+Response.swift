import Foundation
import NIOCore
import NIOHTTP1

extension HubError {
    /// The error for a Hub answer that is not a success, told apart by status and the Hub's `X-Error-Code`
    /// (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`, `GatedRepo`). `subject` names what was asked for
    /// ("model org/name at main"); `tokenSent` says whether the request carried a token.
    static func from(status: Int, headers: HTTPHeaders, body: ByteBuffer?, subject: String, tokenSent: Bool) -> HubError {
        let code = headers.first(name: "X-Error-Code")
        let detail = hubMessage(headers: headers, body: body).map { " The Hub said: \($0)" } ?? ""
        let category: Category
        let message: String
        switch (status, code) {
        case (_, "GatedRepo"):
            category = .gatedRepository
            message =
                tokenSent
                ? "\(subject) is gated and this token has not been granted access; request access on its Hub page."
                : "\(subject) is gated: pass a token (HF_TOKEN) of an account that has been granted access."
        case (401, _):
            category = .unauthorized
            message =
                tokenSent
                ? "The Hub did not accept the token for \(subject) (401): it may be invalid or expired, or the repository may not exist."
                : "\(subject) was not found or needs a token (401): if it is private, pass a token (HF_TOKEN)."
        case (403, _):
            category = .forbidden
            message = "The token is not allowed to do this on \(subject) (403); it may lack write access to that namespace."
        case (404, "RevisionNotFound"):
            category = .revisionNotFound
            message = "\(subject): no such revision (branch, tag or commit) (404)."
        case (404, "EntryNotFound"):
            category = .entryNotFound
            message = "\(subject): no such file at this revision (404)."
        case (404, _):
            category = .repositoryNotFound
            message =
                tokenSent
                ? "\(subject) was not found (404): check the id and kind, or this token cannot see it."
                : "\(subject) was not found (404): check the id and kind; if it is private, pass a token (HF_TOKEN)."
        case (429, _), (500..<600, _):
            category = .serverError
            message = "The Hub kept failing for \(subject) (HTTP \(status))."
        default:
            category = .serverError
            message = "Unexpected answer from the Hub for \(subject) (HTTP \(status))."
        }
        return HubError(category, message + detail, httpStatus: status)
    }

    /// The Hub's own explanation: `X-Error-Message`, else the `error` field of a JSON body; shortened.
    private static func hubMessage(headers: HTTPHeaders, body: ByteBuffer?) -> String? {
        var text = headers.first(name: "X-Error-Message")
        if text == nil, let body, body.readableBytes > 0,
            let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        {
            text = object["error"] as? String
        }
        guard var text, !text.isEmpty else { return nil }
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text
    }

    /// The error for a failure below HTTP (refused, reset, timed out) while talking to `authority`.
    static func unreachable(_ authority: String, doing what: String, underlying: any Error) -> HubError {
        HubError(.unreachable, "Cannot reach \(authority) while \(what): \(String(describing: underlying)).")
    }

    /// The error for a reply that is not what the Hub protocol promises (bad JSON, missing fields).
    static func protocolViolation(_ what: String) -> HubError {
        HubError(.serverError, "The endpoint does not speak the Hub protocol as expected: \(what).")
    }
}
