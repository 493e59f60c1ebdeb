import Foundation
import Testing

/// Checks on the JSON objects the CLI prints, which must be the ones the HTTP API will return.
enum JSONShapes {
    /// The keys of a secret's metadata object (`secrets get|create|update --output json`).
    static let metadataKeys: Set<String> = ["name", "workspace", "description", "created_at", "updated_at"]

    /// Parses an ISO-8601 UTC timestamp as the reference writes it (`2026-11-28T12:51:37.250196`, `Z` optional).
    static func date(_ value: Any?) -> Date? {
        guard var text = value as? String else { return nil }
        guard text.wholeMatch(of: timestampPattern) != nil else { return nil }
        if text.hasSuffix("Z") { text.removeLast() }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: String(text.prefix(19)))
    }

    private nonisolated(unsafe) static let timestampPattern = try! Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?"#)

    /// Records an issue unless `object` is secret metadata for `workspace/name` with `description`, stamped now.
    static func expectMetadata(
        _ object: [String: Any], name: String, workspace: String = "default", description: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(Set(object.keys) == metadataKeys, "\(object)", sourceLocation: sourceLocation)
        #expect(object["name"] as? String == name, sourceLocation: sourceLocation)
        #expect(object["workspace"] as? String == workspace, sourceLocation: sourceLocation)
        if let description {
            #expect(object["description"] as? String == description, sourceLocation: sourceLocation)
        } else {
            #expect(object["description"] is NSNull, "description should be null: \(object)", sourceLocation: sourceLocation)
        }
        for key in ["created_at", "updated_at"] {
            let date = date(object[key])
            #expect(date != nil, "\(key) is not an ISO-8601 timestamp: \(object)", sourceLocation: sourceLocation)
            // Children run with a far-from-UTC TZ; a local-time stamp would be hours away from now.
            if let date {
                #expect(
                    abs(date.timeIntervalSinceNow) < 30 * 60, "\(key) is not the current UTC time: \(object)",
                    sourceLocation: sourceLocation)
            }
        }
    }
}
