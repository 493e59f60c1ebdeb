import SecretStore
import SecretsServer
import Testing

/// The seed's access table over real HTTP: every caller × action × workspace, each cell from fresh fixtures,
/// with its status, reply shape and effect on the store checked (see ``AccessTable`` for the expectations).
struct AccessMatrixTests {
    static let workspaces = [AccessFixtures.ownWorkspace, AccessFixtures.otherWorkspace]

    /// Bearer tokens, the default mode: one server per caller, all cells of its row.
    @Test(arguments: MatrixCaller.allCases)
    func bearerTokenCaller(_ caller: MatrixCaller) async throws {
        let server = try await TestServer.start()
        let fixtures = try AccessFixtures(in: server)
        let runner = MatrixRunner(server: server, fixtures: fixtures)
        for workspace in Self.workspaces {
            for action in MatrixAction.allCases {
                for exists in action.namesASecret ? [true, false] : [true] {
                    try await runner.check(
                        caller, action, in: workspace, secretExists: exists, headers: caller.bearerHeaders(fixtures))
                }
            }
        }
        try await server.finish()
    }

    /// Behind the gateway (`--trust-principal-headers`) the caller comes from `X-NMP-Principal-Id` and the same
    /// table holds; ids starting `service:` are services.
    @Test(arguments: MatrixCaller.allCases.filter { $0.gatewayHeaders != nil })
    func gatewayHeaderCaller(_ caller: MatrixCaller) async throws {
        let server = try await TestServer.start(SecretsServerConfiguration(trustPrincipalHeaders: true))
        let fixtures = try AccessFixtures(in: server)
        let runner = MatrixRunner(server: server, fixtures: fixtures)
        for workspace in Self.workspaces {
            for action in MatrixAction.allCases {
                try await runner.check(caller, action, in: workspace, secretExists: true, headers: caller.gatewayHeaders!)
            }
        }
        try await server.finish()
    }

    /// With bearer tokens, `X-NMP-Principal-Id` is just a header: claiming to be root or a service gets nothing,
    /// and a viewer's token stays a viewer's whatever the header says.
    @Test func bearerModeIgnoresPrincipalHeaders() async throws {
        let server = try await TestServer.start()
        let fixtures = try AccessFixtures(in: server)
        let teamA = "/apis/secrets/v2/workspaces/team-a/secrets"
        for claimed in ["root", "service:jobs"] {
            let headers = [("X-NMP-Principal-Id", claimed), ("X-NMP-Principal-On-Behalf-Of", "root")]
            #expect(await server.send("GET", teamA, headers: headers).status == 401)
            #expect(await server.send("GET", "\(teamA)/target/access", headers: headers).status == 401)
            #expect(await server.send("POST", teamA, headers: headers, json: #"{"name":"x","value":"y"}"#).status == 401)
        }
        let asViewer = [("X-NMP-Principal-Id", "root")]
        let viewer = try #require(fixtures.tokens["viewer"])
        #expect(await server.send("GET", teamA, token: viewer, headers: asViewer).status == 200)
        #expect(await server.send("GET", "\(teamA)/target/access", token: viewer, headers: asViewer).status == 403)
        #expect(await server.send("DELETE", "\(teamA)/target", token: viewer, headers: asViewer).status == 403)
        #expect(await server.send("POST", "/apis/secrets/v2/rotate-encryption-keys", token: viewer, headers: asViewer).status == 403)
        #expect(storedValue(server.store, "team-a", "target") == fixtures.values["team-a"])
        try await server.finish()
    }

    /// Behind the gateway the caller is the header, not a token: a platform admin's token alone is not enough.
    @Test func gatewayModeTakesTheCallerFromTheHeaderOnly() async throws {
        let server = try await TestServer.start(SecretsServerConfiguration(trustPrincipalHeaders: true))
        let fixtures = try AccessFixtures(in: server)
        let teamA = "/apis/secrets/v2/workspaces/team-a/secrets"
        let root = try #require(fixtures.tokens["root"])
        #expect(await server.send("GET", "\(teamA)/target/access", token: root).status == 401)
        #expect(await server.send("GET", teamA, headers: [("X-NMP-Principal-Id", "")]).status == 401)
        // An id that cannot be a principal is no caller at all.
        #expect(await server.send("GET", teamA, headers: [("X-NMP-Principal-Id", "root admin")]).status == 401)
        // A user is not a service because it names someone to act for.
        let claiming = [("X-NMP-Principal-Id", "viewer"), ("X-NMP-Principal-On-Behalf-Of", "root")]
        #expect(await server.send("GET", "\(teamA)/target/access", headers: claiming).status == 403)
        try await server.finish()
    }

    /// Only services act on behalf of someone: a user's token with the header keeps that user's own rights.
    @Test func usersCannotActOnBehalfOfOthers() async throws {
        let server = try await TestServer.start()
        let fixtures = try AccessFixtures(in: server)
        let teamA = "/apis/secrets/v2/workspaces/team-a/secrets"
        let obo = [("X-NMP-Principal-On-Behalf-Of", "root")]
        for user in ["viewer", "editor", "nobody"] {
            let token = try #require(fixtures.tokens[user])
            #expect(await server.send("GET", "\(teamA)/target/access", token: token, headers: obo).status == 403, "\(user)")
            #expect(await server.send("GET", "/apis/secrets/v2/workspaces/team-b/secrets", token: token, headers: obo).status == 403)
        }
        // A service naming a user who is not a valid principal name is refused, not treated as naming nobody.
        let service = try #require(fixtures.tokens["service:jobs"])
        let invalid = [("X-NMP-Principal-On-Behalf-Of", "al ice")]
        #expect(await server.send("GET", "\(teamA)/target/access", token: service, headers: invalid).status == 403)
        try await server.finish()
    }

    /// A caller without a role gets the same refusal whether or not the workspace exists, so refusals reveal
    /// nothing; a platform admin learns that it does not.
    @Test func refusalsDoNotRevealWhetherAWorkspaceExists() async throws {
        let server = try await TestServer.start()
        let fixtures = try AccessFixtures(in: server)
        for user in ["viewer", "editor", "nobody"] {
            let token = try #require(fixtures.tokens[user])
            for workspace in ["team-b", "no-such-workspace"] {
                let base = "/apis/secrets/v2/workspaces/\(workspace)/secrets"
                #expect(await server.send("GET", base, token: token).status == 403, "\(user) \(workspace)")
                #expect(await server.send("GET", "\(base)/target", token: token).status == 403, "\(user) \(workspace)")
                #expect(await server.send("GET", "\(base)/target/access", token: token).status == 403)
                #expect(await server.send("POST", base, token: token, json: #"{"name":"n","value":"v"}"#).status == 403)
            }
        }
        let root = try #require(fixtures.tokens["root"])
        let missing = "/apis/secrets/v2/workspaces/no-such-workspace/secrets"
        #expect(await server.send("GET", missing, token: root).status == 404)
        #expect(await server.send("GET", "\(missing)/target", token: root).status == 404)
        try await server.finish()
    }

    /// Revoking a token or a role takes effect on the next request: nothing is cached across requests.
    @Test func revocationTakesEffectImmediately() async throws {
        let server = try await TestServer.start()
        let fixtures = try AccessFixtures(in: server)
        let teamA = "/apis/secrets/v2/workspaces/team-a/secrets"
        let editor = try #require(fixtures.tokens["editor"])
        #expect(await server.send("GET", teamA, token: editor).status == 200)
        try server.store.revokeRole(of: "editor", in: WorkspaceName("team-a"))
        #expect(await server.send("GET", teamA, token: editor).status == 403)
        try server.store.grant(.editor, to: "editor", in: WorkspaceName("team-a"))
        #expect(await server.send("GET", teamA, token: editor).status == 200)
        try server.store.revokeTokens(of: "editor")
        #expect(await server.send("GET", teamA, token: editor).status == 401)
        // A new token works again; the old one stays dead.
        let renewed = try server.token(for: "editor")
        #expect(await server.send("GET", teamA, token: renewed).status == 200)
        #expect(await server.send("GET", teamA, token: editor).status == 401)
        try await server.finish()
    }

    /// `Authorization` must be a bearer token; the scheme is case-insensitive (RFC 9110), anything else is 401.
    @Test func authorizationHeaderForms() async throws {
        let server = try await TestServer.start()
        let fixtures = try AccessFixtures(in: server)
        let root = try #require(fixtures.tokens["root"])
        let list = "/apis/secrets/v2/workspaces/team-a/secrets"
        #expect(await server.send("GET", list, headers: [("Authorization", "bearer \(root)")]).status == 200)
        for refused in ["Bearer", "Bearer ", "Basic \(root)", "Token \(root)", root, "Bearer \(root)x", "Bearer x\(root)"] {
            #expect(await server.send("GET", list, headers: [("Authorization", refused)]).status == 401, "\(refused.prefix(20))")
        }
        try await server.finish()
    }
}
