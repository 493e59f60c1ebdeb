#if canImport(Glibc)
    import Glibc
#endif

/// One block of memory holding every string and file the forked child reads (argv, environment, file contents),
/// filled before the fork so the child never allocates, and overwritten with zeros when released because it holds
/// plaintext secrets.
final class PlaintextArena {
    private let storage: UnsafeMutableRawBufferPointer
    private var used = 0
    private var pointerArrays: [UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>] = []

    /// An arena of exactly `byteCount` bytes; copying more than that is a programming error.
    init(byteCount: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(byteCount, 1), alignment: 16)
    }

    deinit {
        memset(storage.baseAddress!, 0, storage.count)
        storage.deallocate()
        for array in pointerArrays { array.deallocate() }
    }

    /// The whole block, for a helper process to overwrite its own copy of it.
    var wholeBlock: UnsafeMutableRawBufferPointer { storage }

    /// Copies `bytes` and returns where they start.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
        precondition(used + bytes.count <= storage.count, "arena sized too small")
        let start = storage.baseAddress! + used
        if let source = bytes.baseAddress { memcpy(start, source, bytes.count) }
        used += bytes.count
        return start.assumingMemoryBound(to: UInt8.self)
    }

    /// Copies the UTF-8 bytes of each part, in order, followed by one NUL, and returns the C string.
    func cString(_ parts: String...) -> UnsafeMutablePointer<CChar> {
        let start = storage.baseAddress! + used
        for part in parts {
            var part = part
            part.withUTF8 { _ = copy(UnsafeRawBufferPointer($0)) }
        }
        terminate()
        return start.assumingMemoryBound(to: CChar.self)
    }

    /// Copies `name`, `=` and the secret's bytes as one C string for the environment.
    func environmentEntry(_ name: String, secret: UnsafeRawBufferPointer) -> UnsafeMutablePointer<CChar> {
        let start = storage.baseAddress! + used
        var name = name
        name.withUTF8 { _ = copy(UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(ascii: "=")) { _ = copy($0) }
        _ = copy(secret)
        terminate()
        return start.assumingMemoryBound(to: CChar.self)
    }

    /// A NULL-terminated array of the given C strings, as `execve` wants; freed with the arena.
    func vector(_ strings: [UnsafeMutablePointer<CChar>]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = string }
        array[strings.count] = nil
        pointerArrays.append(array)
        return array
    }

    /// The bytes a C string of `text` needs, NUL included, for sizing the arena.
    static func cStringSize(_ texts: String...) -> Int {
        texts.reduce(1) { $0 + $1.utf8.count }
    }

    private func terminate() {
        withUnsafeBytes(of: UInt8(0)) { _ = copy($0) }
    }
}
