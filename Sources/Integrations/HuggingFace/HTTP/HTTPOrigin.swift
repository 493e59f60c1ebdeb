import Foundation

/// Scheme, host and port of a URL: the unit the token is bound to. A redirect to another origin (a CDN, S3) must
/// not carry the `Authorization` header.
struct HTTPOrigin: Equatable, Sendable {
    let scheme: String
    let host: String
    let port: Int

    /// The origin of an absolute `http`/`https` URL, or nil.
    init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    /// `host:port`, for messages.
    var authority: String { "\(host):\(port)" }
}
