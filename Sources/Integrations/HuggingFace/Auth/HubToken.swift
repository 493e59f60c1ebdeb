import Foundation

/// A Hugging Face access token. It never prints itself: `description`, `debugDescription` and reflection all say
/// `<redacted>`, so a token cannot leak into a log line, an error message or a test failure by accident.
public struct HubToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// A token read from `raw` with surrounding whitespace and line breaks removed (as huggingface_hub reads
    /// HF_TOKEN or the token file); nil when nothing is left.
    public init?(_ raw: String?) {
        guard let raw else { return nil }
        let trimmed = raw.filter { $0 != "\r" && $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        value = trimmed
    }

    /// Always `<redacted>`.
    public var description: String { "HubToken(<redacted>)" }

    /// Always `<redacted>`.
    public var debugDescription: String { description }

    /// Hides the stored value from `dump` and debuggers' mirrors.
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// The `Authorization` header value; the one place the secret leaves this type.
    var authorizationHeaderValue: String { "Bearer " + value }
}
