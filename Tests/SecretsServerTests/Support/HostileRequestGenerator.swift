import Foundation

/// SplitMix64: a tiny seeded generator, so a failing hostile run can be replayed exactly from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// One generated request and what the test may demand of its answer.
struct HostileRequest: Sendable {
    /// Who the request claims to be.
    enum Credential: String, Sendable {
        /// No `Authorization` at all.
        case none
        /// A malformed, forged or foreign credential.
        case garbage
        /// A Viewer of `default` and `team-a`: may send anything, since every change it asks for is refused.
        case viewer
        /// A platform admin: only reads, or writes whose bodies cannot be valid, so nothing changes.
        case admin
    }

    let index: Int
    let request: RawRequest
    let credential: Credential
    /// The method as sent, for the checks below.
    let method: String
    /// Whether the target is `/health`, the one route that answers without credentials.
    let targetsHealth: Bool
    /// False when the request breaks HTTP itself (bad framing, bytes no parser accepts, oversized headers): then
    /// closing the connection without a response is a fine answer.
    let mustBeAnswered: Bool
}

/// Makes the hostile requests: random methods, paths (names with every byte 0–255, percent-encoded and raw),
/// headers (huge, many, invalid), bodies (invalid UTF-8, truncated and deeply nested JSON, over 1 MiB, huge
/// numbers, duplicate keys) and framing, some with valid tokens so they get past authentication.
struct HostileRequestGenerator {
    private var random: SeededGenerator
    private let viewerToken: String
    private let adminToken: String

    /// Requests that sweep every byte through a secret name: 256 percent-encoded, then 256 raw.
    static let byteSweepCount = 512

    init(seed: UInt64, viewerToken: String, adminToken: String) {
        random = SeededGenerator(seed: seed)
        self.viewerToken = viewerToken
        self.adminToken = adminToken
    }

    /// The `index`-th request of a run; its own seed makes it again, alone.
    mutating func make(_ index: Int) -> HostileRequest {
        var mustBeAnswered = true
        let credential = pickCredential()

        // Method: anything for callers who cannot change the store; reads or doomed writes for the admin.
        let method: String
        var bodyKind: BodyKind
        if credential == .admin {
            if chance(0.7) {
                method = pick(["GET", "GET", "GET", "HEAD", "OPTIONS"])
                bodyKind = chance(0.8) ? .none : pickBody()
            } else {
                method = pick(["POST", "PATCH"])
                bodyKind = pick([.deepArrays, .deepObjects, .truncatedJSON, .nonObject, .oversized, .invalidUTF8, .hugeNumbers])
            }
        } else {
            let candidate = pickMethod()
            method = candidate.method
            if !candidate.valid { mustBeAnswered = false }
            bodyKind = pickBody()
        }

        let (target, targetValid, targetsHealth) = makeTarget(index)
        if !targetValid { mustBeAnswered = false }

        var version = "HTTP/1.1"
        if chance(0.02) {
            version = pick(["HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "", "http/1.1", "HTTP/1.1 extra"])
            if version != "HTTP/1.0" { mustBeAnswered = false }
        }

        var head = Array(method.utf8) + [0x20] + target + (version.isEmpty ? [] : [0x20] + Array(version.utf8)) + crlf
        var headers: [[UInt8]] = []
        if chance(0.95) { headers.append(line("Host", "127.0.0.1")) }
        if chance(0.9) { headers.append(line("Connection", "close")) }
        headers += authorization(credential)
        if chance(0.2) {
            // Principal headers are for a gateway in front; a bearer-mode server must ignore them.
            headers.append(line("X-NMP-Principal-Id", pick(["root", "service:jobs", "", "a b", "service:"])))
            if chance(0.5) { headers.append(line("X-NMP-Principal-On-Behalf-Of", pick(["root", "viewer", "", "x\u{7F}"]))) }
        }
        let extra = makeHeaders()
        headers += extra.lines
        if !extra.valid { mustBeAnswered = false }

        let body = makeBody(bodyKind)
        let framing = credential == .admin ? pick([Framing.contentLength, .contentLength, .chunked]) : pickFraming(hasBody: !body.isEmpty)
        var halfClose = false
        var payload: [UInt8] = []
        switch framing {
        case .contentLength:
            if !body.isEmpty || chance(0.3) { headers.append(line("Content-Length", "\(body.count)")) }
            payload = body
        case .chunked:
            headers.append(line("Transfer-Encoding", "chunked"))
            payload = chunked(body)
        case .malformedChunks:
            headers.append(line("Transfer-Encoding", "chunked"))
            payload = Array("zz\r\n".utf8) + body + Array("\r\n".utf8)
            halfClose = true
            mustBeAnswered = false
        case .declaredLonger:
            headers.append(line("Content-Length", "\(body.count + 1 + Int(random.next() % 5000))"))
            payload = body
            halfClose = true
            mustBeAnswered = false
        case .declaredShorter:
            headers.append(line("Content-Length", "\(body.count / 2)"))
            payload = body
            mustBeAnswered = false
        case .unframed:
            payload = body
            mustBeAnswered = false
        case .conflictingLengths:
            headers.append(line("Content-Length", "\(body.count)"))
            headers.append(line("Content-Length", "\(body.count + 7)"))
            payload = body
            halfClose = true
            mustBeAnswered = false
        }
        if chance(0.5) { headers.shuffle(using: &random) }
        head += headers.flatMap { $0 } + crlf
        return HostileRequest(
            index: index, request: RawRequest(bytes: head + payload, isHead: method == "HEAD", halfCloseAfterSending: halfClose),
            credential: credential, method: method, targetsHealth: targetsHealth, mustBeAnswered: mustBeAnswered)
    }

    // MARK: - Parts

    private mutating func pickCredential() -> HostileRequest.Credential {
        switch random.next() % 100 {
        case 0..<20: return .none
        case 20..<35: return .garbage
        case 35..<75: return .viewer
        default: return .admin
        }
    }

    private mutating func pickMethod() -> (method: String, valid: Bool) {
        switch random.next() % 100 {
        case 0..<70: return (pick(["GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"]), true)
        case 70..<80: return (pick(["TRACE", "PROPFIND", "MKCOL", "LINK", "PURGE", "SEARCH"]), true)
        case 80..<85: return (pick(["get", "Post", "pAtCh", "delete"]), false)
        case 85..<90: return (String(repeating: "X", count: pick([1, 100, 10_000])), false)
        default:
            let length = Int(random.next() % 12) + 1
            return (String(decoding: (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next() % 94 + 33) }, as: UTF8.self), false)
        }
    }

    /// A request target; `valid` is false when it holds bytes a request line may not carry.
    private mutating func makeTarget(_ index: Int) -> (bytes: [UInt8], valid: Bool, health: Bool) {
        if index < Self.byteSweepCount {
            let byte = UInt8(index % 256)
            let encoded = index < 256
            let name = Array("n".utf8) + (encoded ? Array(String(format: "%%%02X", byte).utf8) : [byte]) + Array("x".utf8)
            let suffix = pick(["", "", "/access"])
            let target = Array("/apis/secrets/v2/workspaces/default/secrets/".utf8) + name + Array(suffix.utf8)
            return (target, encoded || Self.isPathCharacter(byte), false)
        }
        var valid = true
        var path: [UInt8]
        var health = false
        switch random.next() % 100 {
        case 0..<25:
            path = Array("/apis/secrets/v2/workspaces/".utf8) + workspaceSegment() + Array("/secrets".utf8)
        case 25..<60:
            path = Array("/apis/secrets/v2/workspaces/".utf8) + workspaceSegment() + Array("/secrets/".utf8) + nameSegment(&valid)
        case 60..<75:
            path =
                Array("/apis/secrets/v2/workspaces/".utf8) + workspaceSegment() + Array("/secrets/".utf8) + nameSegment(&valid)
                + Array(pick(["/access", "/access/", "/access/x", "//access"]).utf8)
        case 75..<82:
            path = Array(pick(["/apis/secrets/v2/rotate-encryption-keys", "/v2/secrets/rotate-encryption-keys"]).utf8)
        case 82..<86:
            path = Array("/health".utf8)
            health = true
        case 86..<90:
            path = Array(pick(["/", "*", "", "http://127.0.0.1/health", "//", "/apis", "/apis/secrets/v2/", "/../../etc/passwd"]).utf8)
            health = path == Array("http://127.0.0.1/health".utf8)
            if path.isEmpty { valid = false }
        default:
            path = [0x2F] + randomBytes(Int(random.next() % 200), printableOnly: chance(0.5))
            valid = path.allSatisfy(Self.isPathCharacter)
        }
        if chance(0.25) {
            path += Array("?".utf8) + query()
            if path.contains(0x20) { valid = false }
        }
        return (path, valid, health)
    }

    private mutating func workspaceSegment() -> [UInt8] {
        switch random.next() % 10 {
        case 0..<4: return Array("default".utf8)
        case 4..<6: return Array("team-a".utf8)
        case 6: return Array("nosuchws".utf8)
        case 7: return percentEncoded(randomBytes(Int(random.next() % 20) + 1, printableOnly: false))
        case 8: return Array(pick(["..", "%2e%2e", ".", "a%2Fb", "%00"]).utf8)
        default: return Array(String(repeating: "w", count: pick([255, 256, 5000])).utf8)
        }
    }

    private mutating func nameSegment(_ valid: inout Bool) -> [UInt8] {
        switch random.next() % 12 {
        case 0..<3: return Array(pick(["target", "other.key", "kept", "absent"]).utf8)
        case 3..<6: return percentEncoded(randomBytes(Int(random.next() % 40) + 1, printableOnly: false))
        case 6:
            let bytes = randomBytes(Int(random.next() % 20) + 1, printableOnly: false)
            valid = valid && bytes.allSatisfy(Self.isPathCharacter)
            return bytes
        case 7: return Array(String(repeating: "n", count: pick([255, 256, 10_000])).utf8)
        case 8: return Array(pick(["..", ".", "%2e%2e", "%2F", "a%2Fb", "%", "%G0", "%C3%A9", "%F0%9F%94%91", "a%2541"]).utf8)
        case 9: return Array(pick(["ключ", "é", "🔑"]).utf8).flatMap { String(format: "%%%02X", $0).utf8 }
        default: return Array(String(repeating: "a", count: Int(random.next() % 60) + 1).utf8)
        }
    }

    private mutating func query() -> [UInt8] {
        let number = pick([
            "1", "0", "-1", "2", "99", "abc", "", "1e3", "1.5", "99999999999999999999", "9223372036854775807", "%00", "%FF", " ",
        ])
        switch random.next() % 5 {
        case 0: return Array("page=\(number)".utf8)
        case 1: return Array("page_size=\(number)".utf8)
        case 2: return Array("page=\(number)&page_size=\(pick(["1", "0", "9223372036854775807"]))&page=2".utf8)
        case 3: return percentEncoded(randomBytes(Int(random.next() % 50), printableOnly: false))
        default: return Array(String(repeating: "page=1&", count: 2000).utf8)
        }
    }

    private mutating func authorization(_ credential: HostileRequest.Credential) -> [[UInt8]] {
        switch credential {
        case .none: return []
        case .viewer: return [line("Authorization", (chance(0.9) ? "Bearer " : "bearer ") + viewerToken)]
        case .admin: return [line("Authorization", "Bearer " + adminToken)]
        case .garbage:
            let forged = "jrt_" + String(adminToken.dropFirst(4).prefix(24)) + "_" + String(repeating: "A", count: 43)
            let value = pick([
                "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer " + String(adminToken.dropLast()), "Bearer " + forged,
                "Bearer jrt_" + String(repeating: "0", count: 24) + "_" + String(repeating: "A", count: 43),
                "Bearer " + String(repeating: "x", count: 100_000), "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.",
                "Bearer " + adminToken + " " + adminToken, "Bearer\t" + adminToken + "x", "Negotiate abc",
            ])
            return [line("Authorization", value)]
        }
    }

    /// Extra header lines; `valid` is false when some line breaks HTTP or the server's size limits.
    private mutating func makeHeaders() -> (lines: [[UInt8]], valid: Bool) {
        var lines: [[UInt8]] = []
        var valid = true
        let count: Int
        switch random.next() % 50 {
        case 0, 1: count = 200
        case 2: count = 1000  // more than the server takes: 400
        default: count = Int(random.next() % 6)
        }
        for _ in 0..<count { lines.append(line("X-\(randomToken(8))", randomToken(Int(random.next() % 30)))) }
        if count > 500 { valid = false }
        if chance(0.05) {
            let size = pick([8 * 1024, 60 * 1024, 100 * 1024, 1024 * 1024])
            lines.append(line("X-Huge", String(repeating: "h", count: size)))
            if size > 32 * 1024 { valid = false }
        }
        if chance(0.05) { lines.append(line("Expect", "100-continue")) }
        if chance(0.3) {
            let type = pick(["application/json", "text/plain", "application/x-www-form-urlencoded", "", "\u{7F}"])
            lines.append(line("Content-Type", type))
            if type == "\u{7F}" { valid = false }
        }
        if chance(0.04) {
            valid = false
            lines.append(
                pick([
                    Array("Bad Name: x\r\n".utf8), Array("NoColon\r\n".utf8), Array("X-Nul: a\u{0}b\r\n".utf8), [0xFF, 0x3A, 0x20, 0x61, 0x0D, 0x0A],
                    Array("X-Fold: a\r\n  folded\r\n".utf8), Array(": empty-name\r\n".utf8), Array("X-Bare-LF: a\n".utf8),
                    Array("X-CR: a\rb\r\n".utf8),
                ]))
        }
        return (lines, valid)
    }

    enum BodyKind: CaseIterable {
        case none, createJSON, updateJSON, duplicateKeys, hugeNumbers, invalidUTF8, truncatedJSON, deepArrays, deepObjects, nonObject
        case oversized, randomBytes, nulCharacters
    }

    private mutating func pickBody() -> BodyKind {
        switch random.next() % 100 {
        case 0..<25: return .none
        case 25..<35: return .createJSON
        case 35..<42: return .updateJSON
        case 42..<49: return .duplicateKeys
        case 49..<55: return .hugeNumbers
        case 55..<62: return .invalidUTF8
        case 62..<70: return .truncatedJSON
        case 70..<74: return .deepArrays
        case 74..<77: return .deepObjects
        case 77..<83: return .nonObject
        case 83..<85: return .oversized
        case 85..<93: return .randomBytes
        default: return .nulCharacters
        }
    }

    private mutating func makeBody(_ kind: BodyKind) -> [UInt8] {
        let value = SecretValues.marker + "-hostile"
        switch kind {
        case .none: return []
        case .createJSON: return Array(#"{"name":"\#(pick(["target", "new", "n\u{1}", "kept"]))","value":"\#(value)","description":"d"}"#.utf8)
        case .updateJSON: return Array(pick([#"{"value":"\#(value)"}"#, #"{"description":"changed"}"#, #"{"data":"\#(value)"}"#, "{}"]).utf8)
        case .duplicateKeys:
            return Array(#"{"name":"dup","name":"dup2","value":"\#(value)","value":"\#(value)2","description":"a","description":null}"#.utf8)
        case .hugeNumbers:
            return Array(
                pick([
                    #"{"name":"num","value":1e999999}"#, #"{"name":"num","value":123456789012345678901234567890}"#,
                    #"{"name":1e308,"value":-1e-400}"#, "1" + String(repeating: "0", count: 100_000), #"{"value":NaN}"#,
                ]).utf8)
        case .invalidUTF8:
            return [0xFF] + Array(#"{"name":"bad","value":""#.utf8) + [0xC3, 0x28, 0xE2, 0x82, 0xF0, 0x9F] + Array(#""}"#.utf8)
        case .truncatedJSON:
            let full = Array(#"{"name":"trunc","value":"\#(value)","description":"abc"}"#.utf8)
            return Array(full.prefix(Int(random.next() % UInt64(full.count - 1))))
        case .deepArrays: return Array(repeating: UInt8(ascii: "["), count: pick([1000, 100_000]))
        case .deepObjects: return Array(String(repeating: #"{"a":"#, count: pick([1000, 50_000])).utf8)
        case .nonObject: return Array(pick(["[1,2]", "123", "\"str\"", "null", "true", "[]", #"[{"name":"x","value":"y"}]"#]).utf8)
        case .oversized:
            return Array(#"{"name":"big","value":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 1024 * 1024 + 100) + Array(#""}"#.utf8)
        case .randomBytes: return [0xFF] + randomBytes(Int(random.next() % 4096), printableOnly: false)
        case .nulCharacters: return Array(#"{"name":"nul\u0000","value":"a\u0000b","":"","\u0000":1}"#.utf8)
        }
    }

    enum Framing { case contentLength, chunked, malformedChunks, declaredLonger, declaredShorter, unframed, conflictingLengths }

    private mutating func pickFraming(hasBody: Bool) -> Framing {
        switch random.next() % 100 {
        case 0..<75: return .contentLength
        case 75..<85: return .chunked
        case 85..<88: return .malformedChunks
        case 88..<92: return .declaredLonger
        case 92..<95: return hasBody ? .declaredShorter : .contentLength
        case 95..<98: return hasBody ? .unframed : .contentLength
        default: return .conflictingLengths
        }
    }

    // MARK: - Helpers

    private let crlf: [UInt8] = [0x0D, 0x0A]

    private func line(_ name: String, _ value: String) -> [UInt8] { Array("\(name): \(value)\r\n".utf8) }

    private func chunked(_ body: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(offset + 4096, body.count)]
            bytes += Array(String(piece.count, radix: 16).utf8) + crlf + piece + crlf
            offset += piece.count
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }

    private mutating func chance(_ probability: Double) -> Bool {
        Double(random.next() % 1_000_000) < probability * 1_000_000
    }

    private mutating func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }

    private mutating func randomBytes(_ count: Int, printableOnly: Bool) -> [UInt8] {
        (0..<count).map { _ in printableOnly ? UInt8(truncatingIfNeeded: random.next() % 95 + 32) : UInt8(truncatingIfNeeded: random.next()) }
    }

    private mutating func randomToken(_ count: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        return String((0..<count).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

    private func percentEncoded(_ bytes: [UInt8]) -> [UInt8] {
        bytes.flatMap { Array(String(format: "%%%02X", $0).utf8) }
    }

    /// Bytes a request target may carry unencoded (RFC 3986 pchar, plus `/`).
    static func isPathCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("-._~!$&'()*+,;=:@/".utf8).contains(byte)
        }
    }
}
