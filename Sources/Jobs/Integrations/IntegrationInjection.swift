import Foundation
import Injector
import SecretStore
import WandBIntegration

/// What a job's integrations add to one command step: variables, secret variables and files (with the variables
/// naming them), the inherited variables they take away, and the values to mask.
///
/// The spec check builds one with stand-in values to learn which names the integrations own, so the names live
/// only here.
struct IntegrationInjection {
    /// Plain variables.
    var variables: [(String, String)] = []
    /// Variables holding a secret.
    var secretVariables: [(String, SecretValue)] = []
    /// Files for the step's private directory.
    var files: [SecretFile] = []
    /// Variables naming a file of ``files`` (variable, file name).
    var fileVariables: [(String, String)] = []
    /// Inherited variables that would shadow or contradict what the integrations give.
    var removedVariables: Set<String> = []
    /// Every credential handed over, for the output masker.
    var masked: [MaskedSecret] = []
    /// Which integration set each name, for messages ("integrations.huggingface").
    var owners: [String: String] = [:]

    /// Why an integration cannot hand over its credential.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The injection for a step of job `job` named `jobName`, with credentials from `value(of:)`, the runner's
    /// environment `environment` (for the W&B server a netrc must name), and the metrics file when the runner
    /// reports telemetry.
    init(
        _ integrations: JobIntegrations, job: String, jobName: String, environment: [String: String], metricsPath: String?,
        value: (SecretReference) -> SecretValue?
    ) throws {
        if let huggingFace = integrations.huggingFace { try add(huggingFace, value: value) }
        if let wandb = integrations.wandb {
            try add(wandb, job: job, jobName: jobName, environment: environment, metricsPath: metricsPath, value: value)
        }
    }

    /// The names the integrations own (variables, then file names), each with its owner; for the spec check.
    static func claims(of integrations: JobIntegrations) -> (variables: [String: String], files: [String: String]) {
        let standIn = SecretValue("stand-in")
        guard
            let injection = try? IntegrationInjection(
                integrations, job: "job", jobName: "job", environment: [:], metricsPath: "/metrics", value: { _ in standIn })
        else { return ([:], [:]) }
        var variables: [String: String] = [:]
        for name in injection.variables.map(\.0) + injection.secretVariables.map(\.0) + injection.fileVariables.map(\.0) {
            variables[name] = injection.owners[name]
        }
        var files: [String: String] = [:]
        for file in injection.files { files[file.name] = injection.owners[file.name] }
        return (variables, files)
    }

    private mutating func add(_ settings: HuggingFaceSettings, value: (SecretReference) -> SecretValue?) throws {
        let owner = "integrations.huggingface"
        if let reference = settings.token, let token = value(reference) {
            masked.append(MaskedSecret(label: reference.description, value: token))
            switch settings.delivery {
            case .file:
                // huggingface_hub reads both variables before the file, so neither may reach the child.
                removedVariables.formUnion([IntegrationVariable.huggingFaceToken, IntegrationVariable.huggingFaceLegacyToken])
                files.append(SecretFile(name: IntegrationVariable.huggingFaceTokenFile, value: token))
                fileVariables.append((IntegrationVariable.huggingFaceTokenPath, IntegrationVariable.huggingFaceTokenFile))
                owners[IntegrationVariable.huggingFaceTokenFile] = owner
                owners[IntegrationVariable.huggingFaceTokenPath] = owner
            case .env:
                removedVariables.insert(IntegrationVariable.huggingFaceLegacyToken)
                secretVariables.append((IntegrationVariable.huggingFaceToken, token))
                owners[IntegrationVariable.huggingFaceToken] = owner
            }
        }
        for (name, setting) in [
            (IntegrationVariable.huggingFaceEndpoint, settings.endpoint), (IntegrationVariable.huggingFaceHome, settings.home),
            (IntegrationVariable.huggingFaceHubCache, settings.hubCache),
        ] {
            if let setting {
                variables.append((name, setting))
                owners[name] = owner
            }
        }
    }

    private mutating func add(
        _ settings: WandBSettings, job: String, jobName: String, environment: [String: String], metricsPath: String?,
        value: (SecretReference) -> SecretValue?
    ) throws {
        let owner = "integrations.wandb"
        if let key = value(settings.apiKey) {
            masked.append(MaskedSecret(label: settings.apiKey.description, value: key))
            switch settings.delivery {
            case .env:
                secretVariables.append((IntegrationVariable.wandbAPIKey, key))
                owners[IntegrationVariable.wandbAPIKey] = owner
            case .file:
                let baseURL = settings.baseURL ?? environment[IntegrationVariable.wandbBaseURL] ?? WandBDefaults.baseURL
                removedVariables.insert(IntegrationVariable.wandbAPIKey)
                files.append(SecretFile(name: IntegrationVariable.netrcFile, value: try Self.netrc(for: baseURL, key: key, settings)))
                fileVariables.append((IntegrationVariable.netrc, IntegrationVariable.netrcFile))
                owners[IntegrationVariable.netrcFile] = owner
                owners[IntegrationVariable.netrc] = owner
            }
        }
        var plain = [
            (IntegrationVariable.wandbProject, settings.project), (IntegrationVariable.wandbRunID, WandBRunID(jobID: job).value),
            (IntegrationVariable.wandbName, jobName),
        ]
        if let entity = settings.entity { plain.append((IntegrationVariable.wandbEntity, entity)) }
        if let baseURL = settings.baseURL { plain.append((IntegrationVariable.wandbBaseURL, baseURL)) }
        if settings.report, let metricsPath { plain.append((IntegrationVariable.metrics, metricsPath)) }
        for (name, text) in plain {
            variables.append((name, text))
            owners[name] = owner
        }
    }

    /// A netrc holding `key` for the host (and port) of `baseURL`: the entry wandb looks up when no key variable
    /// is set. A key with blanks or quotes could not be read back from a netrc, so it is refused.
    private static func netrc(for baseURL: String, key: SecretValue, _ settings: WandBSettings) throws -> SecretValue {
        guard let components = URLComponents(string: baseURL), let host = components.host, !host.isEmpty else {
            throw Failure(description: "the W&B server '\(baseURL)' has no host for the netrc entry; set integrations.wandb.base_url")
        }
        let machine = components.port.map { "\(host):\($0)" } ?? host
        let bytes = key.revealedBytes()
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "#") }) else {
            throw Failure(
                description: "the W&B key in \(settings.apiKey) has blanks, quotes, '#' or non-ASCII characters, which a netrc "
                    + "cannot hold; check the secret, or use integrations.wandb.delivery: env")
        }
        return SecretValue(bytes: Array("machine \(machine)\n  login user\n  password ".utf8) + bytes + Array("\n".utf8))
    }
}
