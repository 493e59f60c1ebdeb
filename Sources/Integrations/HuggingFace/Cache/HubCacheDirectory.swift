import Foundation

/// Where the hub cache lives: the folder that holds `models--org--name` and friends, shared with huggingface_hub,
/// transformers and every other tool that reads it.
public enum HubCacheDirectory {
    /// The cache root huggingface_hub would use for `environment`: HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE
    /// (its older name), else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
    /// A leading `~` is expanded with HOME.
    public static func resolve(environment: [String: String]) -> String {
        func nonEmpty(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return expandingHome(value, environment: environment)
        }
        if let cache = nonEmpty("HF_HUB_CACHE") ?? nonEmpty("HUGGINGFACE_HUB_CACHE") { return cache }
        if let home = nonEmpty("HF_HOME") { return home + "/hub" }
        let cacheHome = nonEmpty("XDG_CACHE_HOME") ?? expandingHome("~/.cache", environment: environment)
        return cacheHome + "/huggingface/hub"
    }

    private static func expandingHome(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
