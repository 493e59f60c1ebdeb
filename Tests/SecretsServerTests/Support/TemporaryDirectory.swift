import Foundation

/// A fresh private directory for one test's database, removed when the test lets go of it.
///
/// On tmpfs when there is one: every secret write syncs to disk, and the matrix makes hundreds of them.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        var template = Array((base + "secrets-server-tests-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("mkdtemp failed: \(String(cString: strerror(errno)))") }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}
