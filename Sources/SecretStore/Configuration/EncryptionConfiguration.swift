@preconcurrency import Crypto
import Foundation
import Yams

/// Reads the `secrets.encryption` section of a platform config file into a ``KeyRing``.
///
/// The shape is the reference platform's:
/// ```yaml
/// secrets:
///   encryption:
///     current_provider: v2
///     providers:
///       secret_key:
///         v1: { value: "<base64, at least 32 bytes>" }
///         v2: { from_env: NEW_ENCRYPTION_KEY }
/// ```
/// `from_file: PATH` is also accepted, for keys mounted as files (Kubernetes secrets). Every mistake is reported
/// with its key path and line so the operator can find it; no message ever contains key material.
public struct EncryptionConfiguration: Sendable {
    /// The key ring the section describes.
    public let keyRing: KeyRing
    /// Environment variables that hold key material; a job runner must never pass them on to children.
    public let keyEnvironmentVariables: Set<String>

    /// Parses `yaml`, the text of the file `source`; returns nil when it has no `secrets.encryption` section.
    public static func parse(yaml: String, source: String, environment: [String: String]) throws
        -> EncryptionConfiguration?
    {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw SecretStoreError.invalidConfiguration("\(source) is not valid YAML: \(describe(error))")
        }
        guard let root else { return nil }
        let reader = Reader(source: source)
        let top = try reader.mapping(root, path: "")
        guard let secrets = top["secrets"], secrets.null == nil else { return nil }
        guard let encryption = try reader.mapping(secrets, path: "secrets")["encryption"], encryption.null == nil else {
            return nil
        }
        let section = try reader.mapping(encryption, path: "secrets.encryption")
        try reader.rejectUnknownKeys(
            section, allowed: ["current_provider", "providers"], path: "secrets.encryption")

        guard let providersNode = section["providers"] else {
            throw reader.error("secrets.encryption.providers is missing; declare at least one secret_key provider")
        }
        let providerTypes = try reader.mapping(providersNode, path: "secrets.encryption.providers")
        try reader.rejectUnknownKeys(
            providerTypes, allowed: ["secret_key"], path: "secrets.encryption.providers",
            hint: "only the secret_key provider type is supported")
        guard let secretKeyNode = providerTypes["secret_key"] else {
            throw reader.error("secrets.encryption.providers.secret_key is missing; declare at least one provider")
        }
        let declared = try reader.mapping(secretKeyNode, path: "secrets.encryption.providers.secret_key")

        var providers: [any KeyProvider] = []
        var keyVariables: Set<String> = []
        for (nameNode, settingsNode) in declared {
            let name = try reader.string(nameNode, path: "secrets.encryption.providers.secret_key")
            let path = "secrets.encryption.providers.secret_key.\(name)"
            do {
                try ResourceNameRule.validate(name, kind: "provider name")
            } catch {
                throw reader.error("\(path): \(error)", at: nameNode)
            }
            let source = try reader.keySource(settingsNode, path: path, environment: environment)
            if case let .environment(variable) = source.origin { keyVariables.insert(variable) }
            do {
                providers.append(try SecretKeyProvider(name: name, keyMaterial: source.key))
            } catch let error as SecretStoreError {
                throw reader.error("\(path): \(error.configurationDetail)", at: settingsNode)
            }
        }

        guard let currentNode = section["current_provider"] else {
            let names = providers.map(\.name).sorted().joined(separator: ", ")
            throw reader.error("secrets.encryption.current_provider is missing; set it to one of: \(names)")
        }
        let currentName = try reader.string(currentNode, path: "secrets.encryption.current_provider")
        guard let current = providers.first(where: { $0.name == currentName }) else {
            let names = providers.map(\.name).sorted().joined(separator: ", ")
            throw reader.error(
                "secrets.encryption.current_provider is '\(currentName)', which is not declared under "
                    + "providers.secret_key (declared: \(names))",
                at: currentNode)
        }
        return EncryptionConfiguration(
            keyRing: KeyRing(current: current, others: providers),
            keyEnvironmentVariables: keyVariables)
    }

    private static func describe(_ error: YamlError) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "syntax error"
    }
}

extension SecretStoreError {
    /// The message of a configuration error without its `encryption configuration:` prefix.
    fileprivate var configurationDetail: String {
        if case let .invalidConfiguration(detail) = self { return detail }
        return description
    }
}

/// Walks the YAML tree, turning every surprise into an error with a key path and line number.
private struct Reader {
    let source: String

    enum KeyOrigin { case inline, environment(String), file(String) }

    func error(_ message: String, at node: Node? = nil) -> SecretStoreError {
        if let line = node?.mark?.line {
            return .invalidConfiguration("\(message) (\(source), line \(line))")
        }
        return .invalidConfiguration("\(message) (\(source))")
    }

    func mapping(_ node: Node, path: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else {
            let at = path.isEmpty ? "the top level" : path
            throw error("\(at) must be a mapping of keys to values", at: node)
        }
        return mapping
    }

    func string(_ node: Node, path: String) throws -> String {
        guard let scalar = node.scalar else {
            throw error("\(path) must be a plain string", at: node)
        }
        return scalar.string
    }

    func rejectUnknownKeys(_ mapping: Node.Mapping, allowed: Set<String>, path: String, hint: String? = nil) throws {
        for key in mapping.keys {
            let name = key.scalar?.string ?? "?"
            if !allowed.contains(name) {
                let expected = hint ?? "expected one of: \(allowed.sorted().joined(separator: ", "))"
                throw error("unknown key \(path).\(name); \(expected)", at: key)
            }
        }
    }

    /// Reads one provider's `{ value | from_env | from_file }` into key bytes.
    func keySource(_ node: Node, path: String, environment: [String: String]) throws
        -> (key: SymmetricKey, origin: KeyOrigin)
    {
        let settings = try mapping(node, path: path)
        try rejectUnknownKeys(settings, allowed: ["value", "from_env", "from_file"], path: path)
        let given = ["value", "from_env", "from_file"].filter { settings[$0] != nil }
        guard given.count == 1 else {
            let what = given.isEmpty ? "none" : given.joined(separator: " and ")
            throw error("\(path) needs exactly one of value, from_env or from_file (found \(what))", at: node)
        }
        let text: String
        let origin: KeyOrigin
        let keyNode = settings[given[0]]!
        switch given[0] {
        case "value":
            text = try string(keyNode, path: "\(path).value")
            origin = .inline
        case "from_env":
            let variable = try string(keyNode, path: "\(path).from_env")
            guard let fromEnvironment = environment[variable], !fromEnvironment.isEmpty else {
                throw error(
                    "\(path).from_env names the environment variable \(variable), which is not set or empty; "
                        + "export it with the base64 key", at: keyNode)
            }
            text = fromEnvironment
            origin = .environment(variable)
        default:
            let file = try string(keyNode, path: "\(path).from_file")
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw error("\(path).from_file names \(file), which cannot be read", at: keyNode)
            }
            text = String(decoding: contents, as: UTF8.self)
            origin = .file(file)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard var bytes = Data(base64Encoded: trimmed) else {
            throw error("the key of \(path) is not valid base64 (generate one with: openssl rand -base64 32)", at: keyNode)
        }
        defer { bytes.wipe() }
        guard bytes.count >= SecretKeyProvider.minimumKeyByteCount else {
            throw error(
                "the key of \(path) is \(bytes.count) bytes after base64 decoding; it must be at least "
                    + "\(SecretKeyProvider.minimumKeyByteCount) bytes (generate one with: openssl rand -base64 32)",
                at: keyNode)
        }
        return (SymmetricKey(data: bytes), origin)
    }
}
