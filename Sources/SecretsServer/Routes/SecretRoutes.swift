import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
import SecretStore

/// The `/apis/secrets/v2` contract over a ``SecretStore``: every route authorizes first, then validates, then
/// acts. Reads run inline (tens of microseconds); writes, which wait for a disk sync, and rotation run on the
/// thread pool so they never hold up other requests.
struct SecretRoutes: Sendable {
    let store: SecretStore

    static let prefix = "/apis/secrets/v2"

    /// Adds the routes to `group`, which already authenticates callers.
    func register(on group: RouterGroup<SecretsRequestContext>) {
        let secrets = "\(Self.prefix)/workspaces/:workspace/secrets"
        group.get(RouterPath(secrets), use: list)
        group.post(RouterPath(secrets), use: create)
        group.get(RouterPath("\(secrets)/:name"), use: retrieve)
        group.patch(RouterPath("\(secrets)/:name"), use: update)
        group.delete(RouterPath("\(secrets)/:name"), use: delete)
        group.get(RouterPath("\(secrets)/:name/access"), use: access)
        for path in Self.rotationPaths { group.post(RouterPath(path), use: rotate) }
    }

    /// The rotation path of the current SDK and the seed's older one.
    static let rotationPaths = ["\(prefix)/rotate-encryption-keys", "/v2/secrets/rotate-encryption-keys"]

    /// Every route path with the methods it serves, so the others can answer 405.
    static var allowedMethods: [(path: String, methods: [HTTPRequest.Method])] {
        let secrets = "\(prefix)/workspaces/:workspace/secrets"
        return [
            (secrets, [.get, .post]), ("\(secrets)/:name", [.get, .patch, .delete]), ("\(secrets)/:name/access", [.get]),
        ] + rotationPaths.map { ($0, [.post]) }
    }

    @Sendable func list(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        let workspaceText = try parameter("workspace", context)
        try authorize(context, .list, in: workspaceText)
        guard let workspace = try? WorkspaceName(workspaceText) else {
            throw APIError(.notFound, "Workspace '\(workspaceText)' not found")
        }
        let page = try PageRequest(query: request.uri)
        return try JSONResponse.make(try store.listSecrets(in: workspace, page: page))
    }

    @Sendable func create(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        let workspaceText = try parameter("workspace", context)
        try authorize(context, .create, in: workspaceText)
        var request = request
        let body = try RequestBody(try await request.collectBody(upTo: context.maxUploadSize))
        let nameText = try body.requiredString("name")
        guard let (valueText, valueField) = try body.secretValue() else {
            throw APIError.invalid(["body", "value"], "Field required", type: "missing")
        }
        let description = try body.optionalString("description")
        let name: SecretName
        do {
            name = try SecretName(nameText)
        } catch let error as SecretStoreError {
            throw APIError(error, location: ["body", "name"])
        }
        let value = try validated(valueText, field: valueField)
        guard let workspace = try? WorkspaceName(workspaceText) else {
            throw APIError(.unprocessableContent, "Workspace '\(workspaceText)' does not exist. Please create the workspace first.")
        }
        let reference = SecretReference(workspace: workspace, name: name)
        let store = self.store
        let metadata = try await NIOThreadPool.singleton.runIfActive {
            try store.createSecret(reference, value: value, description: description)
        }
        return JSONResponse.metadata(metadata, status: .created)
    }

    @Sendable func retrieve(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        let reference = try secretReference(context, for: .retrieve)
        return JSONResponse.metadata(try store.secretMetadata(reference))
    }

    @Sendable func update(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        let reference = try secretReference(context, for: .update)
        var request = request
        let body = try RequestBody(try await request.collectBody(upTo: context.maxUploadSize))
        let value = try body.secretValue().map { try validated($0.text, field: $0.field) }
        let description = try body.optionalString("description")
        let store = self.store
        let metadata = try await NIOThreadPool.singleton.runIfActive {
            try store.updateSecret(reference, value: value, description: description)
        }
        return JSONResponse.metadata(metadata)
    }

    @Sendable func delete(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        let reference = try secretReference(context, for: .delete)
        let store = self.store
        try await NIOThreadPool.singleton.runIfActive { try store.deleteSecret(reference) }
        return Response(status: .noContent)
    }

    @Sendable func access(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        let reference = try secretReference(context, for: .access)
        guard let response = JSONResponse.access(reference, value: try store.accessSecret(reference)) else {
            throw APIError(.internalServerError, "Secret \(reference) does not hold text")
        }
        return response
    }

    @Sendable func rotate(_ request: Request, context: SecretsRequestContext) async throws -> Response {
        try authorize(context, .rotate, in: nil)
        let store = self.store
        let report = try await NIOThreadPool.singleton.runIfActive { try store.rotateEncryptionKeys() }
        return try JSONResponse.make(report, status: .accepted)
    }

    // MARK: - Shared steps

    private func authorize(_ context: SecretsRequestContext, _ action: SecretAction, in workspace: String?) throws {
        guard let caller = context.caller else { throw AccessDenial.unauthenticated("Unauthorized") }
        try AccessPolicy.authorize(caller, action, in: workspace, grants: store.grants(of:))
    }

    /// The reference in the path, after authorization; a name that cannot exist is simply not found.
    private func secretReference(_ context: SecretsRequestContext, for action: SecretAction) throws -> SecretReference {
        let workspaceText = try parameter("workspace", context)
        let nameText = try parameter("name", context)
        try authorize(context, action, in: workspaceText)
        guard let workspace = try? WorkspaceName(workspaceText), let name = try? SecretName(nameText) else {
            throw APIError(.notFound, "Secret \(workspaceText)/\(nameText) not found")
        }
        return SecretReference(workspace: workspace, name: name)
    }

    private func parameter(_ name: String, _ context: SecretsRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        if !raw.utf8.contains(UInt8(ascii: "%")) { return raw }
        return raw.removingPercentEncoding ?? raw
    }

    private func validated(_ text: String, field: String) throws -> SecretValue {
        let value = SecretValue(text)
        do {
            try value.validateForStorage()
        } catch let error as SecretStoreError {
            throw APIError(error, location: ["body", .key(field)])
        }
        return value
    }
}
