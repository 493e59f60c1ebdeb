import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP/1.1 request as the exact bytes that go on the wire, so tests can send what no well-behaved client
/// would: invalid methods, raw control bytes in the path, broken framing.
struct RawRequest: Sendable, CustomStringConvertible {
    /// Every byte sent, request line to end of body.
    var bytes: [UInt8]
    /// Whether the request was a HEAD, whose response has no body whatever its headers say.
    var isHead: Bool
    /// Shut down our sending side after the last byte: for requests whose framing promises more than is sent,
    /// so the server sees the end of input instead of waiting for bytes that never come.
    var halfCloseAfterSending: Bool

    init(bytes: [UInt8], isHead: Bool = false, halfCloseAfterSending: Bool = false) {
        self.bytes = bytes
        self.isHead = isHead
        self.halfCloseAfterSending = halfCloseAfterSending
    }

    /// A well-formed request with `Host`, `Content-Length` (when there is a body) and `Connection: close`.
    init(method: String, target: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        self.init(bytes: Array(head.utf8) + (body ?? []), isHead: method == "HEAD")
    }

    /// The start of the request, printable, for failure messages (bodies can be megabytes).
    var description: String {
        let shown = bytes.prefix(600).map { byte -> String in
            switch byte {
            case 0x0D: return "\\r"
            case 0x0A: return "\\n\n"
            case 0x20..<0x7F: return String(UnicodeScalar(byte))
            default: return String(format: "\\x%02X", byte)
            }
        }.joined()
        return shown + (bytes.count > 600 ? "… (\(bytes.count) bytes in all)" : "")
    }
}

/// A parsed HTTP response.
struct RawResponse: Sendable, CustomStringConvertible {
    /// The status code, e.g. 201.
    let status: Int
    /// Header fields in the order received.
    let headers: [(name: String, value: String)]
    /// The body, de-chunked.
    let body: [UInt8]

    /// The first value of the header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or nil when it is not JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }

    /// The body decoded as `type`, or nil. Prefer this for values: Foundation's `JSONSerialization` on Linux
    /// drops a byte-order mark at the start of a string, `JSONDecoder` keeps it.
    func decoded<T: Decodable>(_ type: T.Type) -> T? { try? JSONDecoder().decode(type, from: Data(body)) }

    /// The body as a JSON object, or nil.
    var object: [String: Any]? { json as? [String: Any] }

    /// `detail` of an error body when it is a plain message.
    var detailMessage: String? { object?["detail"] as? String }

    /// `detail` of a FastAPI validation error: its entries.
    var validationIssues: [[String: Any]]? { object?["detail"] as? [[String: Any]] }

    var description: String { "\(status) \(text.prefix(500))" }
}

/// How an exchange ended.
enum ExchangeOutcome: Sendable, CustomStringConvertible {
    /// A complete response arrived.
    case response(RawResponse)
    /// The server closed (or reset) the connection without a complete response.
    case closedWithoutResponse(partial: [UInt8])
    /// Neither a response nor a close within the deadline: the server hangs on this request.
    case noAnswer(partial: [UInt8])
    /// The TCP connection could not be made.
    case connectFailed(errno: Int32)

    /// The response, if there was one.
    var response: RawResponse? {
        if case let .response(response) = self { return response }
        return nil
    }

    var description: String {
        switch self {
        case let .response(response): return "response \(response)"
        case let .closedWithoutResponse(partial): return "closed without a response (\(partial.count) bytes received)"
        case let .noAnswer(partial): return "no response and no close before the deadline (\(partial.count) bytes received)"
        case let .connectFailed(code): return "connect failed: \(String(cString: strerror(code)))"
        }
    }
}

/// One TCP connection to 127.0.0.1, driven with `poll` so that a response arriving while a large body is still
/// being sent (a 413, a 401) is read rather than lost to a reset.
/// Used by one thread at a time (handed over, never shared), hence unchecked.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var received: [UInt8] = []
    private var sawEndOfInput = false

    /// Connects to `127.0.0.1:port`; nil with `errno` set when the connection is refused. A small
    /// `receiveBufferSize` makes a slow reader: the server cannot finish writing a large reply until we read.
    init?(port: Int, receiveBufferSize: Int32? = nil) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        if var size = receiveBufferSize {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let saved = errno
            close(descriptor)
            errno = saved
            return nil
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends `bytes` while reading whatever the server answers meanwhile; stops sending if the server stops
    /// reading (closes or resets).
    func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant) {
        var offset = 0
        while offset < bytes.count, !sawEndOfInput, ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { return }
            if poller.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                readAvailable()
                // The server answered before reading everything (401, 413): the rest would never be read.
                if case .complete = ResponseParser.parse(received, isHead: false, atEndOfInput: false) { return }
            }
            if poller.revents & Int16(POLLOUT) != 0 {
                let count = bytes[offset...].withUnsafeBytes { raw in
                    Glibc.send(descriptor, raw.baseAddress, min(raw.count, 65536), Int32(MSG_NOSIGNAL))
                }
                if count > 0 {
                    offset += count
                } else if count < 0 && errno != EAGAIN && errno != EINTR {
                    return
                }
            }
        }
    }

    /// Tells the server no more bytes will come.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads until one complete response (skipping `100 Continue`), the server's close, or the deadline.
    func receiveResponse(isHead: Bool, deadline: ContinuousClock.Instant) -> ExchangeOutcome {
        while true {
            switch ResponseParser.parse(received, isHead: isHead, atEndOfInput: sawEndOfInput) {
            case let .complete(response): return .response(response)
            case .malformed: return .closedWithoutResponse(partial: received)
            case .incomplete:
                if sawEndOfInput { return .closedWithoutResponse(partial: received) }
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .noAnswer(partial: received) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining.components.seconds * 1000 + 1, 1000))
            if poll(&poller, 1, milliseconds) > 0 { readAvailable() }
        }
    }

    /// Reads until at least `count` bytes have arrived in all; false if the connection ends or the deadline passes
    /// first.
    func awaitBytes(_ count: Int, deadline: ContinuousClock.Instant) -> Bool {
        while received.count < count {
            if sawEndOfInput || ContinuousClock.now >= deadline { return false }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) > 0 { readAvailable() }
        }
        return true
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: chunk[0..<count])
                // Enough to judge any response; a server streaming endlessly must not exhaust memory.
                if received.count > 16 << 20 { sawEndOfInput = true }
                continue
            }
            if count == 0 || (errno != EAGAIN && errno != EINTR) { sawEndOfInput = true }
            return
        }
    }
}

/// Blocking and async ways to make one exchange per connection.
enum RawHTTPClient {
    /// How long an exchange may take before it counts as a hang. Generous: it only catches a server that never
    /// answers, never a slow one.
    static let patience: Duration = .seconds(60)

    /// Connects, sends `request`, reads one response. Blocks the calling thread.
    static func exchange(port: Int, _ request: RawRequest, patience: Duration = patience) -> ExchangeOutcome {
        let deadline = ContinuousClock.now + patience
        guard let connection = RawConnection(port: port) else { return .connectFailed(errno: errno) }
        connection.send(request.bytes, deadline: deadline)
        if request.halfCloseAfterSending { connection.finishSending() }
        return connection.receiveResponse(isHead: request.isHead, deadline: deadline)
    }

    /// The same on a thread of its own: blocking socket calls must not occupy the few threads Swift
    /// concurrency shares with an in-process server.
    static func exchange(port: Int, _ request: RawRequest, patience: Duration = patience) async -> ExchangeOutcome {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: exchange(port: port, request, patience: patience)) }
            thread.start()
        }
    }
}

/// Splits received bytes into a response: status line, headers, then a body framed by `Content-Length`,
/// chunked encoding, or the end of the connection.
enum ResponseParser {
    enum Result {
        case complete(RawResponse)
        case incomplete
        case malformed
    }

    static func parse(_ bytes: [UInt8], isHead: Bool, atEndOfInput: Bool) -> Result {
        var start = 0
        while true {
            guard let headEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: start) else { return .incomplete }
            let head = String(decoding: bytes[start..<headEnd], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
            guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
                return .malformed
            }
            let headers = lines.compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let bodyStart = headEnd + 4
            if (100..<200).contains(status) {
                start = bodyStart  // an interim response: the real one follows
                continue
            }
            func value(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
            if isHead || status == 204 || status == 304 {
                return .complete(RawResponse(status: status, headers: headers, body: []))
            }
            if value("transfer-encoding")?.lowercased().contains("chunked") == true {
                guard let body = dechunk(bytes, from: bodyStart) else { return atEndOfInput ? .malformed : .incomplete }
                return .complete(RawResponse(status: status, headers: headers, body: body))
            }
            if let lengthText = value("content-length") {
                guard let length = Int(lengthText) else { return .malformed }
                guard bytes.count - bodyStart >= length else { return .incomplete }
                return .complete(RawResponse(status: status, headers: headers, body: Array(bytes[bodyStart..<bodyStart + length])))
            }
            return atEndOfInput ? .complete(RawResponse(status: status, headers: headers, body: Array(bytes[bodyStart...]))) : .incomplete
        }
    }

    private static func dechunk(_ bytes: [UInt8], from start: Int) -> [UInt8]? {
        var body: [UInt8] = []
        var position = start
        while true {
            guard let lineEnd = find([0x0D, 0x0A], in: bytes, from: position) else { return nil }
            let sizeText = String(decoding: bytes[position..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            position = lineEnd + 2
            if size == 0 { return body }
            guard bytes.count >= position + size + 2 else { return nil }
            body += bytes[position..<position + size]
            position += size + 2
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

/// A request whose body is sent with chunked transfer encoding, so the server cannot know its size up front.
func chunkedRequest(_ method: String, _ target: String, token: String, body: [UInt8]) -> RawRequest {
    var bytes = Array(
        "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\nTransfer-Encoding: chunked\r\n\r\n"
            .utf8)
    var offset = 0
    while offset < body.count {
        let piece = body[offset..<min(offset + 65536, body.count)]
        bytes += Array(String(piece.count, radix: 16).utf8) + [0x0D, 0x0A] + piece + [0x0D, 0x0A]
        offset += piece.count
    }
    bytes += Array("0\r\n\r\n".utf8)
    return RawRequest(bytes: bytes)
}
