import Foundation

/// The contract's path prefix.
let api = "/apis/secrets/v2"

/// `/apis/secrets/v2/workspaces/{workspace}/secrets`, optionally followed by `/rest`.
func secretsPath(_ workspace: String = "default", _ rest: String = "") -> String {
    "\(api)/workspaces/\(workspace)/secrets" + (rest.isEmpty ? "" : "/\(rest)")
}

/// A JSON string literal for `text`, escaped as JSON requires.
func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}

/// The keys metadata replies carry, exactly.
let metadataKeys: Set<String> = ["name", "workspace", "description", "created_at", "updated_at"]

/// Whether `text` is a timestamp as the reference writes it: naive UTC with microseconds (a trailing `Z` is also
/// accepted, as the SDK parses it).
func isReferenceTimestamp(_ text: Any?) -> Bool {
    guard let text = text as? String else { return false }
    return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z?/) != nil
}

/// `loc` of the first validation issue of a 422, as strings (indices shown as numbers).
func firstLocation(_ reply: RawResponse) -> [String]? {
    reply.validationIssues?.first?["loc"].flatMap { $0 as? [Any] }?.map { "\($0)" }
}

/// The keys of a reply's JSON object; empty when it is not one.
func keys(of reply: RawResponse) -> Set<String> {
    Set(reply.object?.keys.map { $0 } ?? [])
}
