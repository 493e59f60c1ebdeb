/// How `jobrunner serve` listens and decides who is calling.
public struct SecretsServerConfiguration: Sendable {
    /// How callers are identified.
    public enum Authentication: String, Sendable, CaseIterable {
        /// `Authorization: Bearer <token>`, tokens issued by `jobrunner auth token create`.
        case enabled
        /// Every caller acts as a platform admin; only allowed on a loopback address.
        case disabled
    }

    /// The address to bind; loopback unless the operator says otherwise.
    public var host: String
    /// The TCP port; 0 picks a free one (the log says which).
    public var port: Int
    /// Whether bearer tokens are required.
    public var authentication: Authentication
    /// Take the caller from `X-NMP-Principal-Id` (set by the platform gateway) instead of a token.
    public var trustPrincipalHeaders: Bool
    /// Allow ``trustPrincipalHeaders`` on a non-loopback address (only behind a gateway that strips them).
    public var allowTrustedHeadersOffLoopback: Bool

    /// A configuration with every setting given; defaults are the safe ones.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, authentication: Authentication = .enabled,
        trustPrincipalHeaders: Bool = false, allowTrustedHeadersOffLoopback: Bool = false
    ) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.trustPrincipalHeaders = trustPrincipalHeaders
        self.allowTrustedHeadersOffLoopback = allowTrustedHeadersOffLoopback
    }

    /// Whether ``host`` only accepts connections from this machine.
    public var bindsLoopbackOnly: Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Refuses combinations that would hand secrets to anyone who can reach the port.
    public func validate() throws {
        guard (0...65535).contains(port) else {
            throw ServeConfigurationError("--port must be between 0 and 65535 (got \(port))")
        }
        if authentication == .disabled && !bindsLoopbackOnly {
            throw ServeConfigurationError(
                "refusing to serve on \(host) with --auth disabled: anyone who can reach that address could read every "
                    + "secret. Bind to 127.0.0.1, or enable authentication")
        }
        if trustPrincipalHeaders && !bindsLoopbackOnly && !allowTrustedHeadersOffLoopback {
            throw ServeConfigurationError(
                "refusing to trust X-NMP-Principal-Id on \(host): any client could claim to be a platform service. "
                    + "Bind to 127.0.0.1 behind the gateway, or add --allow-trusted-headers-off-loopback if the gateway "
                    + "strips these headers from outside requests")
        }
        if trustPrincipalHeaders && authentication == .disabled {
            throw ServeConfigurationError("--trust-principal-headers needs --auth enabled: with auth disabled no caller is checked")
        }
    }
}

/// A `serve` configuration that must not start, with the reason and the fix.
public struct ServeConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and how to fix it.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
