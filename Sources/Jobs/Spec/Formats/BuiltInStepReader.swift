import Foundation
import HuggingFaceIntegration
import Yams

/// Reads the `with:` of a built-in step (`uses: huggingface/download` or `huggingface/upload`).
struct BuiltInStepReader {
    /// The keys of `with` for `huggingface/download`.
    static let downloadKeys = ["repo", "revision", "repo_type", "allow_patterns", "ignore_patterns", "cache_dir"]
    /// The keys of `with` for `huggingface/upload`.
    static let uploadKeys = ["repo", "path", "revision", "repo_type", "private", "create", "commit_message", "commit_description"]

    /// Shared state of this file's readers.
    let context: SpecReadingContext

    private var problems: SpecProblemList { context.problems }

    /// The action named by `uses` with its `with`, or `nil` (problems reported). `step` is the step's mapping, for
    /// the place to report a missing `with`.
    func read(uses: SpecMapping.Entry, with: SpecMapping.Entry?, in step: SpecMapping) -> StepAction? {
        guard let name = context.text(uses, expecting: "a built-in step name") else { return nil }
        switch name {
        case "huggingface/download":
            return readDownload(with, in: step).map { .huggingFaceDownload($0) }
        case "huggingface/upload":
            return readUpload(with, in: step).map { .huggingFaceUpload($0) }
        default:
            var message = "unknown built-in step '\(name.escapedForSpecMessage)'"
            if let suggestion = SpecKeySuggestion.closest(to: name, among: StepAction.builtInNames) {
                message += " (did you mean '\(suggestion)'?)"
            }
            problems.report(message + "; built-in steps: " + StepAction.builtInNames.joined(separator: ", "), line: uses.line, at: uses.path)
            return nil
        }
    }

    private func settings(_ with: SpecMapping.Entry?, in step: SpecMapping, keys: [String], example: String) -> SpecMapping? {
        guard let with else {
            problems.report("missing required key 'with'; \(example)", line: step.line, at: step.path)
            return nil
        }
        return SpecMapping(with.value, at: with.path, allowedKeys: keys, expecting: "the step's settings, \(example)", problems: problems)
    }

    private func readDownload(_ with: SpecMapping.Entry?, in step: SpecMapping) -> HuggingFaceDownloadStep? {
        let example = "e.g. with: { repo: org/model, revision: main }"
        guard let mapping = settings(with, in: step, keys: Self.downloadKeys, example: example) else { return nil }
        let before = problems.problems.count
        let repository = mapping.required("repo", hint: "name the repository, \(example)", problems: problems).flatMap(repositoryID)
        var download = HuggingFaceDownloadStep(repository: repository ?? "")
        if let kind = mapping.value("repo_type") { download.kind = context.choice(kind, of: HubRepositoryKind.self) ?? .model }
        if let revision = mapping.value("revision") { download.revision = self.revision(revision) ?? "" }
        if let allow = mapping.value("allow_patterns") { download.allowPatterns = context.texts(allow, expecting: "a file glob") ?? [] }
        if let ignore = mapping.value("ignore_patterns") { download.ignorePatterns = context.texts(ignore, expecting: "a file glob") ?? [] }
        download.cacheDirectory = mapping.value("cache_dir").flatMap { context.path($0, expecting: "a hub cache directory") }
        return problems.problems.count == before ? download : nil
    }

    private func readUpload(_ with: SpecMapping.Entry?, in step: SpecMapping) -> HuggingFaceUploadStep? {
        let example = "e.g. with: { repo: org/model-lora, path: ./output }"
        guard let mapping = settings(with, in: step, keys: Self.uploadKeys, example: example) else { return nil }
        let before = problems.problems.count
        let repository = mapping.required("repo", hint: "name the repository, \(example)", problems: problems).flatMap(repositoryID)
        let folder = mapping.required("path", hint: "name the folder to upload, \(example)", problems: problems).flatMap {
            context.path($0, expecting: "the folder to upload")
        }
        var upload = HuggingFaceUploadStep(repository: repository ?? "", folder: folder ?? "")
        if let kind = mapping.value("repo_type") { upload.kind = context.choice(kind, of: HubRepositoryKind.self) ?? .model }
        if let revision = mapping.value("revision") { upload.revision = self.revision(revision) ?? "" }
        if let isPrivate = mapping.value("private") { upload.isPrivate = context.flag(isPrivate) ?? true }
        if let create = mapping.value("create") { upload.create = context.flag(create) ?? false }
        if let message = mapping.value("commit_message") {
            upload.commitMessage = commitText(message, expecting: "a commit message") ?? ""
        }
        upload.commitDescription = mapping.value("commit_description").flatMap { commitText($0, expecting: "a commit description") }
        return problems.problems.count == before ? upload : nil
    }

    private func repositoryID(_ entry: SpecMapping.Entry) -> String? {
        guard let id = context.text(entry, expecting: "a repository id such as org/model") else { return nil }
        if let problem = HubRepository.problem(with: id) {
            problems.report("invalid Hugging Face repository id '\(id.escapedForSpecMessage)': \(problem)", line: entry.line, at: entry.path)
            return nil
        }
        return id
    }

    private func revision(_ entry: SpecMapping.Entry) -> String? {
        guard let revision = context.text(entry, expecting: "a branch, tag or commit") else { return nil }
        if revision.isEmpty || revision.contains("..") || revision.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == " " }) {
            problems.report(
                "invalid revision '\(revision.escapedForSpecMessage)': write a branch, tag or commit such as main",
                line: entry.line, at: entry.path)
            return nil
        }
        return revision
    }

    private func commitText(_ entry: SpecMapping.Entry, expecting expectation: String) -> String? {
        guard let text = context.text(entry, expecting: expectation) else { return nil }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.unicodeScalars.contains("\0") {
            problems.report("the \(expectation) is empty or contains a NUL character", line: entry.line, at: entry.path)
            return nil
        }
        return text
    }
}
