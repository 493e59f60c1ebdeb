import Foundation
import SecretStore
import Testing

/// One caller of the access matrix (see ``AccessFixtures`` for who holds which role).
enum MatrixCaller: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case anonymous
    case badToken
    case revokedToken
    case nobody
    case viewer
    case editor
    case admin
    case platformAdmin
    case service
    case serviceForTeamAViewer
    case serviceForTeamAEditor
    case serviceForTeamBEditor

    var testDescription: String { rawValue }

    /// The principal a gateway would name in `X-NMP-Principal-Id`, and the user in
    /// `X-NMP-Principal-On-Behalf-Of`; nil for callers that only exist with tokens.
    var identity: (principal: String?, onBehalfOf: String?)? {
        switch self {
        case .anonymous: return (nil, nil)
        case .badToken, .revokedToken: return nil
        case .nobody: return ("nobody", nil)
        case .viewer: return ("viewer", nil)
        case .editor: return ("editor", nil)
        case .admin: return ("admin", nil)
        case .platformAdmin: return ("root", nil)
        case .service: return ("service:jobs", nil)
        case .serviceForTeamAViewer: return ("service:jobs", "alice")
        case .serviceForTeamAEditor: return ("service:jobs", "carol")
        case .serviceForTeamBEditor: return ("service:jobs", "bob")
        }
    }

    /// The headers that present this caller with a bearer token.
    func bearerHeaders(_ fixtures: AccessFixtures) -> [(String, String)] {
        switch self {
        case .badToken: return [("Authorization", "Bearer \(fixtures.badToken)")]
        case .revokedToken: return [("Authorization", "Bearer \(fixtures.tokens["revoked"]!)")]
        default:
            guard let identity, let principal = identity.principal else { return [] }
            var headers = [("Authorization", "Bearer \(fixtures.tokens[principal]!)")]
            if let user = identity.onBehalfOf { headers.append(("X-NMP-Principal-On-Behalf-Of", user)) }
            return headers
        }
    }

    /// The headers a gateway would set for this caller, for a server started with `trustPrincipalHeaders`.
    var gatewayHeaders: [(String, String)]? {
        guard let identity else { return nil }
        var headers: [(String, String)] = []
        if let principal = identity.principal { headers.append(("X-NMP-Principal-Id", principal)) }
        if let user = identity.onBehalfOf { headers.append(("X-NMP-Principal-On-Behalf-Of", user)) }
        return headers
    }
}

/// One route of the contract, as the matrix exercises it.
enum MatrixAction: String, CaseIterable, Sendable {
    case list, retrieve, create, update, delete, access, rotate

    /// Whether the path names a secret, so the cell is also tried on a secret that does not exist.
    var namesASecret: Bool { [.retrieve, .update, .delete, .access].contains(self) }
}

/// The seed's access table, written out cell by cell: status per action in the order list, retrieve, create,
/// update, delete, access, rotate, for the callers' own workspace (team-a) and another (team-b).
///
/// Rotation concerns no workspace, so its column is the same on both sides.
enum AccessTable {
    static let expected: [MatrixCaller: (own: [Int], other: [Int])] = [
        // Nobody authenticated: 401 everywhere.
        .anonymous: ([401, 401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401, 401]),
        .badToken: ([401, 401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401, 401]),
        .revokedToken: ([401, 401, 401, 401, 401, 401, 401], [401, 401, 401, 401, 401, 401, 401]),
        // Deny by default.
        .nobody: ([403, 403, 403, 403, 403, 403, 403], [403, 403, 403, 403, 403, 403, 403]),
        // Viewer lists and reads metadata; Editor and Admin also write; none reads values or rotates.
        .viewer: ([200, 200, 403, 403, 403, 403, 403], [403, 403, 403, 403, 403, 403, 403]),
        .editor: ([200, 200, 201, 200, 204, 403, 403], [403, 403, 403, 403, 403, 403, 403]),
        .admin: ([200, 200, 201, 200, 204, 403, 403], [403, 403, 403, 403, 403, 403, 403]),
        // Platform Admin: everything, everywhere, including values (the seed says so).
        .platformAdmin: ([200, 200, 201, 200, 204, 200, 202], [200, 200, 201, 200, 204, 200, 202]),
        // A service naming no user has its own grants (none here); it never reads values for itself.
        .service: ([403, 403, 403, 403, 403, 403, 403], [403, 403, 403, 403, 403, 403, 403]),
        // A service acts with its user's rights, and reads values where that user holds any role.
        .serviceForTeamAViewer: ([200, 200, 403, 403, 403, 200, 403], [403, 403, 403, 403, 403, 403, 403]),
        .serviceForTeamAEditor: ([200, 200, 201, 200, 204, 200, 403], [403, 403, 403, 403, 403, 403, 403]),
        .serviceForTeamBEditor: ([403, 403, 403, 403, 403, 403, 403], [200, 200, 201, 200, 204, 200, 403]),
    ]

    /// The expected status of one cell. On a secret that does not exist, refusals stay refusals (a caller
    /// without a role learns nothing) and allowed requests find nothing: 404.
    static func status(_ caller: MatrixCaller, _ action: MatrixAction, in workspace: String, secretExists: Bool = true) -> Int {
        let row = AccessTable.expected[caller]!
        let status = (workspace == AccessFixtures.ownWorkspace ? row.own : row.other)[MatrixAction.allCases.firstIndex(of: action)!]
        if !secretExists && (200..<300).contains(status) { return 404 }
        return status
    }
}

/// Runs matrix cells against a server and checks status, reply shape and effect on the store.
struct MatrixRunner {
    let server: TestServer
    let fixtures: AccessFixtures

    /// Resets the fixtures, makes the request of one cell with `headers`, and checks it.
    func check(
        _ caller: MatrixCaller, _ action: MatrixAction, in workspace: String, secretExists: Bool, headers: [(String, String)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try fixtures.reset(server.store)
        let expected = AccessTable.status(caller, action, in: workspace, secretExists: secretExists)
        let name = secretExists ? AccessFixtures.target : AccessFixtures.absent
        let base = "/apis/secrets/v2/workspaces/\(workspace)/secrets"
        let newValue = SecretValues.make("matrix")
        let cell = "\(caller.rawValue) \(action.rawValue) \(workspace)/\(name)"
        let reply: RawResponse
        switch action {
        case .list: reply = await server.send("GET", base, headers: headers)
        case .retrieve: reply = await server.send("GET", "\(base)/\(name)", headers: headers)
        case .create:
            reply = await server.send(
                "POST", base, headers: headers, json: #"{"name":"created","value":"\#(newValue)","description":"by the matrix"}"#)
        case .update:
            reply = await server.send("PATCH", "\(base)/\(name)", headers: headers, json: #"{"value":"\#(newValue)","description":"changed"}"#)
        case .delete: reply = await server.send("DELETE", "\(base)/\(name)", headers: headers)
        case .access: reply = await server.send("GET", "\(base)/\(name)/access", headers: headers)
        case .rotate: reply = await server.send("POST", "/apis/secrets/v2/rotate-encryption-keys", headers: headers)
        }
        #expect(reply.status == expected, "\(cell): \(reply)", sourceLocation: sourceLocation)
        checkShape(of: reply, action, in: workspace, name: name, cell: cell, sourceLocation: sourceLocation)

        // The store changed exactly when the request was allowed.
        let store = server.store
        let original = fixtures.values[workspace]!
        switch action {
        case .create:
            #expect((storedValue(store, workspace, "created") == newValue) == (reply.status == 201), "\(cell)", sourceLocation: sourceLocation)
        case .update:
            let now = storedValue(store, workspace, AccessFixtures.target)
            #expect(now == (reply.status == 200 ? newValue : original), "\(cell)", sourceLocation: sourceLocation)
        case .delete:
            let now = storedValue(store, workspace, AccessFixtures.target)
            #expect(now == (reply.status == 204 ? nil : original), "\(cell)", sourceLocation: sourceLocation)
        default:
            #expect(storedValue(store, workspace, AccessFixtures.target) == original, "\(cell)", sourceLocation: sourceLocation)
        }
        #expect(storedValue(store, workspace, AccessFixtures.absent) == nil, "\(cell)", sourceLocation: sourceLocation)
    }

    /// Whatever the status, the body has the contract's shape for it.
    private func checkShape(
        of reply: RawResponse, _ action: MatrixAction, in workspace: String, name: String, cell: String, sourceLocation: SourceLocation
    ) {
        let object = reply.object
        switch (reply.status, action) {
        case (200, .list):
            let names = (object?["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == [AccessFixtures.target], "\(cell): \(reply)", sourceLocation: sourceLocation)
            #expect(object?["pagination"] is [String: Any], "\(cell)", sourceLocation: sourceLocation)
        case (200, .retrieve), (200, .update), (201, .create):
            #expect(object?["workspace"] as? String == workspace, "\(cell): \(reply)", sourceLocation: sourceLocation)
            #expect(object?["value"] == nil, "\(cell): metadata must not carry a value", sourceLocation: sourceLocation)
        case (200, .access):
            #expect(object?["value"] as? String == fixtures.values[workspace], "\(cell): \(reply)", sourceLocation: sourceLocation)
            #expect(object?["name"] as? String == name, "\(cell)", sourceLocation: sourceLocation)
        case (202, .rotate):
            #expect(object?["success"] as? Bool == true, "\(cell): \(reply)", sourceLocation: sourceLocation)
            #expect(object?["rotated_secrets"] as? Int == 0, "\(cell): \(reply)", sourceLocation: sourceLocation)
        case (204, _):
            #expect(reply.body.isEmpty, "\(cell): \(reply)", sourceLocation: sourceLocation)
        case (401, _):
            #expect(reply.detailMessage != nil, "\(cell): \(reply)", sourceLocation: sourceLocation)
            #expect(reply.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true, "\(cell)", sourceLocation: sourceLocation)
        case (403, _), (404, _):
            #expect(reply.detailMessage != nil, "\(cell): \(reply)", sourceLocation: sourceLocation)
        default:
            break
        }
    }
}
