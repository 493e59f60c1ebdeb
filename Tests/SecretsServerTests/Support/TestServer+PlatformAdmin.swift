import Foundation
import SecretStore
import Testing

extension TestServer {
    /// A token for `root`, a platform admin: the caller of the contract tests, who may use every route.
    func platformAdminToken() throws -> String {
        let token = try self.token(for: "root")
        try store.grant(.platformAdmin, to: "root", in: nil)
        return token
    }
}
