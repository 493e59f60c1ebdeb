/// The single-statement lookups that every request makes, compiled once per read connection.
///
/// Columns are read by position, so each query's column order is part of its contract with the code that
/// reads it; the comment on each case says what that order is.
enum HotQuery: Int, CaseIterable {
    /// A secret's metadata by workspace and name: description, created_at, updated_at.
    case secretMetadata
    /// A secret's stored value by workspace and name: sealed_value, wrapped_data_key, key_provider.
    case sealedSecret
    /// A token by selector: verifier_hash, revoked_at, principal name, is_service.
    case token
    /// A principal's role bindings: workspace, role (one row each).
    case roleBindings

    /// The statement's SQL text; `?1`, `?2` are the arguments in the order the caller passes them.
    var sql: String {
        switch self {
        case .secretMetadata:
            return "SELECT description, created_at, updated_at FROM secret WHERE workspace = ?1 AND name = ?2"
        case .sealedSecret:
            return "SELECT sealed_value, wrapped_data_key, key_provider FROM secret WHERE workspace = ?1 AND name = ?2"
        case .token:
            return """
                SELECT t.verifier_hash, t.revoked_at, p.name, p.is_service
                FROM access_token t JOIN principal p ON p.name = t.principal WHERE t.selector = ?1
                """
        case .roleBindings:
            return "SELECT workspace, role FROM role_binding WHERE principal = ?1"
        }
    }
}
