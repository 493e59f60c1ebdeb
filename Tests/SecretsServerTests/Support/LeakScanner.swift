/// Finds secret values (see ``SecretValues``) where the contract forbids them: anywhere in a response except
/// the body of a `200` reply to `/access`, and anywhere in a log line. Bearer tokens, shown once when issued,
/// must appear nowhere at all.
enum LeakScanner {
    /// A description of every leak in `exchanges` and `logLines`; empty when there is none.
    static func leaks(in exchanges: [Exchange], logLines: [String], tokens: [String] = []) -> [String] {
        var found: [String] = []
        for token in tokens {
            let needle = Array(token.utf8)
            for exchange in exchanges {
                guard case let .response(response) = exchange.outcome else { continue }
                let headers = response.headers.map { $0.name + ": " + $0.value }.joined(separator: "\n")
                if contains(needle, in: response.body) || contains(needle, in: Array(headers.utf8)) {
                    found.append("the reply to \(exchange.path) holds a bearer token")
                }
            }
            for line in logLines where line.contains(token) { found.append("log line holds a bearer token: \(line.prefix(200))") }
        }
        for exchange in exchanges {
            switch exchange.outcome {
            case let .response(response):
                for (name, value) in response.headers where SecretValues.contains(Array((name + ": " + value).utf8)) {
                    found.append("header '\(name)' of the reply to \(exchange.path) holds a value")
                }
                // The router ignores empty path segments, so `…/access/` is the access route too.
                let mayHoldValue = response.status == 200 && exchange.path.split(separator: "/").last == "access"
                if !mayHoldValue && SecretValues.contains(response.body) {
                    found.append("the \(response.status) reply to \(exchange.path) holds a value: \(response.text.prefix(300))")
                }
            case let .closedWithoutResponse(partial), let .noAnswer(partial):
                if SecretValues.contains(partial) { found.append("bytes sent before a close on \(exchange.path) hold a value") }
            case .connectFailed:
                break
            }
        }
        for line in logLines where SecretValues.contains(Array(line.utf8)) {
            found.append("log line holds a value: \(line.prefix(300))")
        }
        return found
    }

    private static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
