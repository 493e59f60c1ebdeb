import Foundation

/// Encoded forms of a value computed by other code than the masker's: Foundation here, the real Python below.
enum KnownForms {
    /// The raw bytes and the four base64 forms, which is every form of a value made of `A-Z a-z 0-9 _ . - ~`
    /// (percent-encoding and JSON leave those characters alone).
    static func ofUnreservedValue(_ value: String) -> [[UInt8]] {
        let standard = Data(value.utf8).base64EncodedString()
        let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let unpadded = { (text: String) in text.replacingOccurrences(of: "=", with: "") }
        return [value, standard, unpadded(standard), url, unpadded(url)].map { Array($0.utf8) }
    }

    /// The JSON string body Swift's `JSONEncoder` writes for `value`.
    static func swiftJSONBody(of value: String) throws -> [UInt8] {
        let encoded = try JSONEncoder().encode([value])
        return Array(encoded.dropFirst(2).dropLast(2))
    }

    /// The forms of `value` written by the real Python: base64 and base64url (padded and not), `quote` and
    /// `quote_plus` with `safe=''` (and their lower-case hex), `json.dumps` with and without `ensure_ascii`.
    /// The value travels on stdin, never in argv.
    static func fromPython(of value: String) throws -> [String: [UInt8]] {
        let script = """
            import base64, json, re, sys, urllib.parse
            v = sys.stdin.buffer.read().decode('utf-8')
            b = v.encode('utf-8')
            lower = lambda s: re.sub(r'%[0-9A-F]{2}', lambda m: m.group(0).lower(), s)
            forms = {
                'raw': v,
                'base64': base64.b64encode(b).decode(),
                'base64-unpadded': base64.b64encode(b).decode().rstrip('='),
                'base64url': base64.urlsafe_b64encode(b).decode(),
                'base64url-unpadded': base64.urlsafe_b64encode(b).decode().rstrip('='),
                'quote': urllib.parse.quote(v, safe=''),
                'quote-lower': lower(urllib.parse.quote(v, safe='')),
                'quote_plus': urllib.parse.quote_plus(v, safe=''),
                'quote_plus-lower': lower(urllib.parse.quote_plus(v, safe='')),
                'json-ascii': json.dumps(v)[1:-1],
                'json-unicode': json.dumps(v, ensure_ascii=False)[1:-1],
            }
            for name, form in forms.items():
                sys.stdout.write(name + ' ' + form.encode('utf-8').hex() + '\\n')
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(value.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PythonFailed(status: process.terminationStatus) }
        var forms = [String: [UInt8]]()
        for line in String(decoding: printed, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            forms[String(parts[0])] = hexBytes(parts[1])
        }
        return forms
    }

    private static func hexBytes(_ hex: Substring) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// python3 exited with a failure.
    struct PythonFailed: Error {
        let status: Int32
    }
}
