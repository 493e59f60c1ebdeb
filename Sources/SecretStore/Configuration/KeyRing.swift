/// The key providers in force: the current one wraps every new data key, all of them can unwrap.
public struct KeyRing: Sendable {
    /// The provider that wraps new and rotated data keys.
    public let current: any KeyProvider
    private let providersByName: [String: any KeyProvider]

    /// A ring whose current provider is `current`, able to unwrap with any of `providers` as well.
    public init(current: any KeyProvider, others: [any KeyProvider] = []) {
        var byName: [String: any KeyProvider] = [:]
        for provider in others { byName[provider.name] = provider }
        byName[current.name] = current
        self.current = current
        self.providersByName = byName
    }

    /// The provider recorded as `name` on a row, if it is configured.
    public func provider(named name: String) -> (any KeyProvider)? {
        providersByName[name]
    }

    /// The same ring, also able to unwrap with `providers` (names it already has keep their provider).
    public func addingDecryptOnly(_ providers: [any KeyProvider]) -> KeyRing {
        KeyRing(current: current, others: providers.filter { providersByName[$0.name] == nil } + providersByName.values)
    }

    /// The names of every configured provider, sorted.
    public var providerNames: [String] { providersByName.keys.sorted() }
}
