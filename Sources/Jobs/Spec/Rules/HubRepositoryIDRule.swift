/// The Hub's rule for repository ids, as `huggingface_hub` checks them: `name` or `namespace/name`, each part
/// letters, digits, `-`, `_` and `.`, not starting or ending with `-` or `.`, no `--` or `..`, the name at most 96
/// characters.
enum HubRepositoryIDRule {
    /// Why `id` is not a valid repository id, or `nil` when it is.
    static func problem(with id: String) -> String? {
        let shown = "invalid Hugging Face repository id '\(id.escapedForSpecMessage)'"
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "\(shown): write org/name" }
        for part in parts {
            if part.isEmpty { return "\(shown): an empty part; write org/name" }
            if !part.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }) {
                return "\(shown): use only letters, digits, '-', '_' and '.'"
            }
            if part.contains("--") || part.contains("..") { return "\(shown): '--' and '..' are not allowed" }
            if let first = part.first, let last = part.last, "-.".contains(first) || "-.".contains(last) {
                return "\(shown): a part may not start or end with '-' or '.'"
            }
        }
        if let name = parts.last, name.count > 96 { return "\(shown): the name is longer than 96 characters" }
        return nil
    }
}
