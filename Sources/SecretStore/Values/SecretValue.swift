#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A secret's plaintext, which cannot be printed, logged, dumped or encoded by accident.
///
/// The bytes live in a buffer this type owns and overwrites with zeros when the last reference goes away.
/// Only the explicitly named accessors ``withUnsafeBytes(_:)``, ``revealedString()`` and ``revealedBytes()``
/// hand the plaintext out, so every place that does so is easy to find in review.
public final class SecretValue: @unchecked Sendable {
    // Immutable after init, so sharing across threads is safe.
    private let buffer: UnsafeMutableRawBufferPointer

    /// The largest value the store accepts: 64 KiB, far above any token or key, far below a file someone
    /// should keep elsewhere.
    public static let maximumByteCount = 64 * 1024

    /// Takes a copy of `bytes`; the caller should overwrite its own copy when done with it.
    public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        let copied = bytes.withContiguousStorageIfAvailable { storage.copyMemory(from: UnsafeRawBufferPointer($0)) }
        if copied == nil { _ = storage.initializeMemory(as: UInt8.self, from: bytes) }
        buffer = storage
        count = bytes.count
    }

    /// Takes a copy of the UTF-8 bytes of `text`.
    public convenience init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// The number of plaintext bytes.
    public let count: Int

    /// Whether the value holds no bytes at all.
    public var isEmpty: Bool { count == 0 }

    deinit {
        memset(buffer.baseAddress!, 0, buffer.count)
        buffer.deallocate()
    }

    /// Lends the plaintext to `body` without copying it; do not let the pointer escape.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// The plaintext as text, or nil when it is not valid UTF-8. For the few places that must hand it on.
    public func revealedString() -> String? {
        withUnsafeBytes { raw in
            String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }

    /// A copy of the plaintext bytes. For the few places that must hand it on.
    public func revealedBytes() -> [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Checks the store's rules for a value: not empty, at most ``maximumByteCount`` bytes, UTF-8 text
    /// (the HTTP API carries values as JSON strings, so a value that is not text could never be read back).
    public func validateForStorage() throws {
        if isEmpty {
            throw SecretStoreError.invalidValue(reason: "it is empty; a secret must hold at least one byte")
        }
        if count > Self.maximumByteCount {
            throw SecretStoreError.invalidValue(
                reason: "it is \(count) bytes; the limit is \(Self.maximumByteCount) bytes (64 KiB)"
            )
        }
        if !isValidUTF8 {
            throw SecretStoreError.invalidValue(
                reason: "it is not valid UTF-8 text; base64-encode binary data before storing it"
            )
        }
    }

    /// Whether the bytes are UTF-8 text, checked in place so no copy of the plaintext is made; a reply that
    /// carries the value as a JSON string checks this before writing it.
    public var isValidUTF8: Bool {
        withUnsafeBytes { raw in
            // Most values are ASCII (tokens, keys): one pass over the bytes decides them.
            if raw.allSatisfy({ $0 < 0x80 }) { return true }
            var bytes = raw.makeIterator()
            var parser = Unicode.UTF8.ForwardParser()
            while true {
                switch parser.parseScalar(from: &bytes) {
                case .valid: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    /// Compares two values in time that depends only on their lengths, not on where they differ.
    public func constantTimeEquals(_ other: SecretValue) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { lhs in
            other.withUnsafeBytes { rhs in
                var difference: UInt8 = 0
                for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
                return difference == 0
            }
        }
    }
}

extension SecretValue: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Always the same placeholder: printing a value by mistake shows nothing of it.
    public var description: String { "SecretValue(<redacted>)" }
    /// Always the same placeholder, also in debuggers and `debugPrint`.
    public var debugDescription: String { "SecretValue(<redacted>)" }
    /// Hides the storage from `dump` and `Mirror`.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
