import Foundation

/// Finds the files a leak test reads in search of a value: all of a data directory, and whatever appeared in the
/// machine's shared temporary directories while the test ran.
enum FileScan {
    /// Every regular file under `directory`, hidden ones and subdirectories included.
    static func regularFiles(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = directory + "/" + relative
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { files.append(path) }
        }
        return files
    }

    /// The regular files under `directories` changed after `reference` was (a file the test touched when it
    /// started), found with find(1), which walks a large /tmp far faster than Foundation.
    static func regularFiles(in directories: [String], changedAfter reference: String) throws -> [String] {
        let find = Process()
        find.executableURL = URL(fileURLWithPath: "/usr/bin/find")
        find.arguments = directories + ["-xdev", "-type", "f", "-newer", reference, "-print0"]
        let output = Pipe()
        find.standardOutput = output
        find.standardError = FileHandle.nullDevice
        try find.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        find.waitUntilExit()
        // find exits 1 when a file vanished or was unreadable mid-walk (other processes use these directories).
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The contents of `path`, or nil when it is gone, unreadable, or larger than `limit` bytes (a build's object
    /// files in /tmp cannot hold a value the test just made up, and reading them would only cost time).
    static func contents(of path: String, limit: Int = 64 << 20) -> Data? {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) <= limit else { return nil }
        return FileManager.default.contents(atPath: path)
    }
}
