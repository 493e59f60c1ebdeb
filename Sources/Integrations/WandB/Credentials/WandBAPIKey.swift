import Foundation

/// A W&B API key that cannot end up in a log line, an error or a debug dump by accident.
///
/// The runner resolves the key from its secret store each time it pushes and hands it over in this type; the
/// outbox never stores it. Only ``authorizationHeaderValue`` (used by ``WandBRunClient``) reveals it, so every
/// place that does is easy to find in review.
public struct WandBAPIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let text: String

    /// Takes the key as stored (a trailing newline from a file is dropped); nil when it is empty or holds
    /// whitespace inside, which W&B refuses anyway.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0.isWhitespace }) else { return nil }
        self.text = trimmed
    }

    /// The `Authorization` header W&B expects: Basic auth with user `api` and the key as password.
    var authorizationHeaderValue: String {
        "Basic " + Data("api:\(text)".utf8).base64EncodedString()
    }

    /// Removes every copy of the key (plain or in its Basic form) from a text about to be shown or stored.
    func redact(_ message: String) -> String {
        message
            .replacingOccurrences(of: text, with: "[redacted]")
            .replacingOccurrences(of: Data("api:\(text)".utf8).base64EncodedString(), with: "[redacted]")
    }

    /// Always `WandBAPIKey(redacted)`, so interpolating a key into a message shows nothing secret.
    public var description: String { "WandBAPIKey(redacted)" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without children, so `dump` and the debugger show no key.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
