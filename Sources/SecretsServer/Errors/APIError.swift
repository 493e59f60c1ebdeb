import Foundation
import HTTPTypes
import Hummingbird
import SecretStore

/// An error response in the reference service's shape: `{"detail": "..."}`, or for validation errors the
/// FastAPI list `{"detail": [{"type", "loc", "msg"}]}`. Messages never contain a secret value.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let detail: Detail
    var headers: HTTPFields = [:]

    /// A plain message or FastAPI-style validation entries.
    enum Detail: Encodable {
        case message(String)
        case validation([ValidationIssue])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .message(text): try container.encode(text)
            case let .validation(issues): try container.encode(issues)
            }
        }
    }

    /// One FastAPI validation entry; `input` is only ever a name or number the caller sent, never a value.
    struct ValidationIssue: Encodable {
        let type: String
        let loc: [LocationPart]
        let msg: String
        var input: String?
    }

    /// A `loc` element: a field name or an index.
    enum LocationPart: Encodable, ExpressibleByStringLiteral {
        case key(String)
        case index(Int)

        init(stringLiteral value: String) { self = .key(value) }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .key(key): try container.encode(key)
            case let .index(index): try container.encode(index)
            }
        }
    }

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = .message(message)
        self.headers = headers
    }

    /// A 422 with one validation entry.
    static func invalid(_ location: [LocationPart], _ message: String, type: String = "value_error", input: String? = nil)
        -> APIError
    {
        APIError(
            status: .unprocessableContent,
            detail: .validation([ValidationIssue(type: type, loc: location, msg: message, input: input)]))
    }

    private init(status: HTTPResponse.Status, detail: Detail) {
        self.status = status
        self.detail = detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let body = try JSONResponse.encoder.encode(["detail": detail])
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension APIError {
    /// Maps the store's errors to the reference's statuses and messages; `location` places a validation error.
    init(_ error: SecretStoreError, location: [LocationPart] = ["body"]) {
        switch error {
        case let .invalidName(_, name, _):
            self = .invalid(location, error.description, input: name)
        case .invalidValue, .invalidReference, .invalidPage:
            self = .invalid(location, error.description)
        case let .secretNotFound(reference):
            self.init(.notFound, "Secret \(reference) not found")
        case let .workspaceNotFound(workspace):
            self.init(.notFound, "Workspace '\(workspace)' not found")
        case let .workspaceMissingForNewSecret(workspace):
            self.init(.unprocessableContent, "Workspace '\(workspace)' does not exist. Please create the workspace first.")
        case let .secretAlreadyExists(reference):
            // The SDK retries 409s unless told not to.
            self.init(.conflict, "Secret '\(reference)' already exists", headers: [HTTPField.Name("x-should-retry")!: "false"])
        case .principalNotFound, .roleBindingNotFound:
            self.init(.notFound, error.description)
        case .workspaceAlreadyExists, .workspaceNotEmpty, .principalKindConflict:
            self.init(.conflict, error.description, headers: [HTTPField.Name("x-should-retry")!: "false"])
        case .defaultWorkspaceIsPermanent, .invalidConfiguration, .invalidRoleScope:
            self.init(.unprocessableContent, error.description)
        case .providerNotConfigured, .cannotDecrypt:
            self.init(.internalServerError, error.description)
        case .storage:
            self.init(.internalServerError, "An unexpected error occurred.")
        }
    }

    /// Maps an access refusal to 401 or 403.
    init(_ denial: AccessDenial) {
        switch denial {
        case let .unauthenticated(message):
            self.init(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
        case let .forbidden(message):
            self.init(.forbidden, message)
        }
    }
}
