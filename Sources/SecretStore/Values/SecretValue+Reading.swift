import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension SecretValue {
    /// Reads a value from a file, or from standard input when `path` is `-`.
    ///
    /// Reads at most one byte more than ``maximumByteCount`` so a huge file is refused without loading it. One
    /// trailing newline (`\n` or `\r\n`) is dropped unless `keepTrailingNewline` is set: a key saved by an editor
    /// or piped from `echo` ends with one, and a token with a newline breaks the HTTP headers it is sent in.
    /// When standard input is a terminal, prompts on standard error and reads without echo.
    public static func read(fromPath path: String, keepTrailingNewline: Bool = false) throws -> SecretValue {
        var bytes: [UInt8]
        if path == "-" {
            if isatty(STDIN_FILENO) == 1 {
                bytes = try readFromTerminal(prompt: "Secret value (input hidden): ")
            } else {
                bytes = try readBounded(descriptor: STDIN_FILENO, source: "standard input")
            }
        } else {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw SecretStoreError.invalidValue(
                    reason: "cannot read the file \(path): \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            bytes = try readBounded(descriptor: descriptor, source: "the file \(path)")
        }
        defer { wipe(&bytes) }
        if !keepTrailingNewline, bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        return SecretValue(bytes: bytes)
    }

    private static func readBounded(descriptor: Int32, source: String) throws -> [UInt8] {
        let limit = maximumByteCount + 1
        var bytes = [UInt8](repeating: 0, count: limit)
        var filled = 0
        while filled < limit {
            let count = bytes.withUnsafeMutableBytes { raw in
                Glibc.read(descriptor, raw.baseAddress! + filled, limit - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                wipe(&bytes)
                throw SecretStoreError.invalidValue(reason: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            filled += count
        }
        if filled == limit {
            wipe(&bytes)
            throw SecretStoreError.invalidValue(
                reason: "\(source) holds more than \(maximumByteCount) bytes (64 KiB), the limit for a secret")
        }
        let result = Array(bytes[0..<filled])
        wipe(&bytes)
        return result
    }

    private static func readFromTerminal(prompt: String) throws -> [UInt8] {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let canSilence = tcgetattr(STDIN_FILENO, &saved) == 0
        if canSilence {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if canSilence { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
            if bytes.count > maximumByteCount { break }
        }
        return bytes
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        let size = bytes.count
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { memset(base, 0, size) }
        }
    }
}
