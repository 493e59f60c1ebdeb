/// A repository on the Hub: its `org/name` id and its kind, which together decide every URL and cache folder.
public struct HubRepository: Sendable, Hashable, CustomStringConvertible {
    /// The `org/name` (or bare `name`) id, as the Hub spells it.
    public let id: String
    /// Whether it is a model, a dataset or a space.
    public let kind: HubRepositoryKind

    /// A repository `id` (`org/name`) of `kind`; throws an `.invalidRequest` error for ids the Hub would refuse.
    public init(_ id: String, kind: HubRepositoryKind = .model) throws(HubError) {
        if let problem = Self.problem(with: id) {
            throw HubError(.invalidRequest, "invalid Hugging Face repository id '\(id)': \(problem)")
        }
        self.id = id
        self.kind = kind
    }

    /// Why the Hub would refuse `id`, as `huggingface_hub`'s `validate_repo_id` checks it: `name` or `org/name`,
    /// each part letters, digits, `-`, `_` and `.`, not starting or ending with `-` or `.`, no `--` or `..`, the
    /// name at most 96 characters. `nil` when it is valid.
    public static func problem(with id: String) -> String? {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "too many '/'; write org/name" }
        for part in parts {
            if part.isEmpty { return "an empty part; write org/name" }
            guard part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                return "use only letters, digits, '-', '_' and '.'"
            }
            if part.contains("--") || part.contains("..") { return "'--' and '..' are not allowed" }
            if let first = part.first, let last = part.last, "-.".contains(first) || "-.".contains(last) {
                return "a part may not start or end with '-' or '.'"
            }
        }
        if let name = parts.last, name.count > 96 { return "the name is longer than 96 characters" }
        return nil
    }

    /// The id in the `kind/org/name` form people read in messages.
    public var description: String { kind == .model ? id : "\(kind.rawValue) \(id)" }

    /// The folder name huggingface_hub gives this repository in the hub cache, e.g. `models--org--name`.
    public var cacheFolderName: String {
        ([kind.apiSegment] + id.split(separator: "/").map(String.init)).joined(separator: "--")
    }
}
