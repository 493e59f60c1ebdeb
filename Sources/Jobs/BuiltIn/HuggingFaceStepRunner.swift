import Foundation
import HuggingFaceIntegration
import SecretStore

/// Runs the built-in Hugging Face steps inside the runner: the token never leaves the runner's memory, and the
/// endpoint and cache follow the same settings a command step gets (the spec's integration, else the runner's
/// `HF_ENDPOINT`, `HF_HUB_CACHE` and `HF_HOME`).
struct HuggingFaceStepRunner {
    /// The job's Hugging Face settings, if it has any.
    let settings: HuggingFaceSettings?
    /// The resolved token, if the job has one.
    let token: SecretValue?
    /// The runner's environment, for the variables the spec does not override.
    let environment: [String: String]
    /// Where progress goes.
    let progress: any HubTransferProgress

    /// The Hub the steps talk to.
    var endpoint: String {
        settings?.endpoint ?? environment[IntegrationVariable.huggingFaceEndpoint].flatMap { $0.isEmpty ? nil : $0 }
            ?? "https://huggingface.co"
    }

    /// The hub cache `step` fills: its own `cache_dir`, else the integration's, else huggingface_hub's default for
    /// the runner's environment.
    func cacheDirectory(for step: HuggingFaceDownloadStep) -> String {
        if let directory = step.cacheDirectory ?? settings?.hubCache { return directory }
        var environment = environment
        if let home = settings?.home {
            environment[IntegrationVariable.huggingFaceHome] = home
            environment[IntegrationVariable.huggingFaceHubCache] = nil
        }
        return HubCacheDirectory.resolve(environment: environment)
    }

    /// Downloads `step`'s snapshot and says what it did.
    func download(_ step: HuggingFaceDownloadStep) async throws -> String {
        let repository = try HubRepository(step.repository, kind: step.kind)
        let request = HubDownloadRequest(
            repository: repository, revision: step.revision, allowPatterns: step.allowPatterns.isEmpty ? nil : step.allowPatterns,
            ignorePatterns: step.ignorePatterns.isEmpty ? nil : step.ignorePatterns, cacheDirectory: cacheDirectory(for: step))
        let snapshot = try await HubClient.withClient(endpoint: endpoint, token: hubToken) { client in
            try await HubDownloader(client: client).download(request, progress: progress)
        }
        return "downloaded \(repository) at \(snapshot.commit.prefix(12)): \(snapshot.downloadedFileCount) file(s), "
            + "\(snapshot.downloadedByteCount) bytes fetched, \(snapshot.cachedFileCount) already in the cache; "
            + "snapshot in \(snapshot.snapshotDirectory)"
    }

    /// Commits `step`'s folder, with `${JOBRUNNER_…}` in the message replaced from `facts`, and says what it did.
    func upload(_ step: HuggingFaceUploadStep, facts: [String: String]) async throws -> String {
        let repository = try HubRepository(step.repository, kind: step.kind)
        let request = HubUploadRequest(
            repository: repository, folder: step.folder, revision: step.revision,
            commitMessage: Self.expand(step.commitMessage, facts), commitDescription: step.commitDescription.map { Self.expand($0, facts) } ?? "",
            createRepository: step.create, privateRepository: step.isPrivate)
        let commit = try await HubClient.withClient(endpoint: endpoint, token: hubToken) { client in
            try await HubUploader(client: client).upload(request, progress: progress)
        }
        return "committed \(commit.regularFileCount + commit.lfsFileCount) file(s) to \(repository) as \(commit.oid.prefix(12)) "
            + "(\(commit.lfsFileCount) large, \(commit.lfsAlreadyPresentCount) already on the Hub): \(commit.url)"
    }

    private var hubToken: HubToken? { HubToken(token?.revealedString()) }

    /// `text` with `${NAME}` replaced for each name in `facts`; anything else is left as written.
    static func expand(_ text: String, _ facts: [String: String]) -> String {
        facts.reduce(text) { text, fact in text.replacingOccurrences(of: "${\(fact.key)}", with: fact.value) }
    }
}
