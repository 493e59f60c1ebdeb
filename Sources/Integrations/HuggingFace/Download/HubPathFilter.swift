import Glibc

/// Which repository paths to take, with huggingface_hub's rules: fnmatch globs (`*` also matches `/`), a pattern
/// ending in `/` means everything below that folder, a path must match one allow pattern (when any are given) and
/// no ignore pattern.
public struct HubPathFilter: Sendable, Hashable {
    /// Globs a path must match one of; nil takes every path.
    public let allowPatterns: [String]?
    /// Globs that exclude a path.
    public let ignorePatterns: [String]?

    /// A filter from huggingface_hub's `allow_patterns` and `ignore_patterns`.
    public init(allowPatterns: [String]? = nil, ignorePatterns: [String]? = nil) {
        self.allowPatterns = allowPatterns.map { $0.map(Self.expandingFolder) }
        self.ignorePatterns = ignorePatterns.map { $0.map(Self.expandingFolder) }
    }

    /// Whether `path` passes the filter.
    public func includes(_ path: String) -> Bool {
        if let allowPatterns, !allowPatterns.contains(where: { Self.matches(path, $0) }) { return false }
        if let ignorePatterns, ignorePatterns.contains(where: { Self.matches(path, $0) }) { return false }
        return true
    }

    /// Python's `fnmatch.fnmatch` on POSIX: case-sensitive, `*` crosses `/`, backslash is an ordinary character.
    static func matches(_ path: String, _ pattern: String) -> Bool {
        fnmatch(pattern, path, FNM_NOESCAPE) == 0
    }

    private static func expandingFolder(_ pattern: String) -> String {
        pattern.hasSuffix("/") ? pattern + "*" : pattern
    }
}
