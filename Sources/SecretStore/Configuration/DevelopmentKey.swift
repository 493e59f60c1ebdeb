@preconcurrency import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The key used when no provider is configured: random, created once in the data directory, mode 0600.
///
/// It sits beside the database it protects, so it only keeps values out of plaintext in the file; it is for
/// evaluation, and every start says so. Rows it wrapped stay readable after real providers are configured (it
/// joins the ring as a decrypt-only provider while its file exists), so one rotation moves them off it.
public enum DevelopmentKey {
    /// The provider name recorded on rows wrapped by the development key.
    public static let providerName = "local"
    /// The key file's name inside the data directory.
    public static let fileName = "dev-encryption-key"

    /// Loads the key from `dataDirectory`, creating it when absent; `created` tells whether this call made it.
    ///
    /// Safe when several processes start at once: the file is written under a temporary name and published
    /// with `link(2)`, which fails rather than replace a key another process published first.
    public static func loadOrCreate(in dataDirectory: String) throws -> (provider: SecretKeyProvider, created: Bool) {
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let existing = try load(path: path) { return (existing, false) }

        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let text = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SecretStoreError.storage("cannot create the development key \(path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else {
            throw SecretStoreError.storage("cannot write the development key \(path): \(String(cString: strerror(errno)))")
        }
        if link(temporary, path) == 0 {
            return (try load(path: path)!, true)
        }
        guard errno == EEXIST, let winner = try load(path: path) else {
            throw SecretStoreError.storage("cannot publish the development key \(path): \(String(cString: strerror(errno)))")
        }
        return (winner, false)
    }

    /// Loads the key if its file exists, without ever creating it.
    public static func loadIfPresent(in dataDirectory: String) throws -> SecretKeyProvider? {
        try load(path: (dataDirectory as NSString).appendingPathComponent(fileName))
    }

    private static func load(path: String) throws -> SecretKeyProvider? {
        // The file is published whole by link(2), so it is either absent or complete.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw SecretStoreError.storage(
                "the development key \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        let contents = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()
        // Split on whitespace rather than trimmingCharacters(in:), which goes through NSString and ICU and costs
        // every `jobrunner exec` a third of a millisecond; base64 has no whitespace inside.
        let words = String(decoding: contents, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 1, var key = Data(base64Encoded: String(words[0])),
            key.count >= SecretKeyProvider.minimumKeyByteCount
        else {
            throw SecretStoreError.invalidConfiguration(
                "the development key \(path) is damaged (not base64 of at least 32 bytes); restore it from a backup")
        }
        defer { key.wipe() }
        return try SecretKeyProvider(name: providerName, keyMaterial: SymmetricKey(data: key))
    }
}
