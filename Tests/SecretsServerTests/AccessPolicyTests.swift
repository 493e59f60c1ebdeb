import Testing

@testable import SecretStore

/// The seed's table as a pure function, before any HTTP: who may do what where.
struct AccessPolicyTests {
    let grants: [String: RoleGrants] = [
        "viewer": RoleGrants(isPlatformAdmin: false, workspaceRoles: ["team-a": .viewer]),
        "editor": RoleGrants(isPlatformAdmin: false, workspaceRoles: ["team-a": .editor]),
        "admin": RoleGrants(isPlatformAdmin: false, workspaceRoles: ["team-a": .admin]),
        "root": RoleGrants(isPlatformAdmin: true, workspaceRoles: [:]),
    ]

    func allowed(_ caller: Caller, _ action: SecretAction, _ workspace: String?) -> Bool {
        do {
            try AccessPolicy.authorize(caller, action, in: workspace) { grants[$0] ?? .none }
            return true
        } catch {
            return false
        }
    }

    func user(_ name: String) -> Caller { .principal(try! Principal(name: name, isService: false), onBehalfOf: nil) }
    func service(onBehalfOf user: String?) -> Caller {
        .principal(try! Principal(name: "service:jobs", isService: true), onBehalfOf: user)
    }

    @Test func theSeedsTable() {
        let expected: [String: Set<SecretAction>] = [
            "viewer": [.list, .retrieve],
            "editor": [.list, .retrieve, .create, .update, .delete],
            "admin": [.list, .retrieve, .create, .update, .delete],
            "root": Set(SecretAction.allCases),
            "nobody": [],
        ]
        for (name, actions) in expected {
            for action in SecretAction.allCases {
                let workspace = action == .rotate ? nil : "team-a"
                #expect(allowed(user(name), action, workspace) == actions.contains(action), "\(name) \(action)")
                if action != .rotate && name != "root" {
                    #expect(!allowed(user(name), action, "team-b"), "\(name) \(action) in another workspace")
                }
            }
        }
    }

    @Test func servicesReadValuesOnlyOnBehalfOfAMemberOfTheWorkspace() {
        #expect(!allowed(service(onBehalfOf: nil), .access, "team-a"))
        #expect(allowed(service(onBehalfOf: "viewer"), .access, "team-a"))
        #expect(!allowed(service(onBehalfOf: "viewer"), .access, "team-b"))
        #expect(!allowed(service(onBehalfOf: "nobody"), .access, "team-a"))
        #expect(allowed(service(onBehalfOf: "root"), .access, "team-b"))
        // Otherwise the service acts with the user's rights.
        #expect(!allowed(service(onBehalfOf: "viewer"), .create, "team-a"))
        #expect(allowed(service(onBehalfOf: "editor"), .create, "team-a"))
        #expect(!allowed(service(onBehalfOf: "editor"), .rotate, nil))
    }

    @Test func usersCannotBorrowSomeoneElsesRights() {
        let claiming = Caller.principal(try! Principal(name: "viewer", isService: false), onBehalfOf: "root")
        #expect(!allowed(claiming, .access, "team-a"))
        #expect(!allowed(claiming, .create, "team-a"))
    }

    @Test func unrestrictedCallersMayDoEverything() {
        for action in SecretAction.allCases { #expect(allowed(.unrestricted, action, "anywhere")) }
    }
}
