import Foundation

/// The machine's processes as `/proc` shows them, for checks that a value is in no process's argv or environment
/// and that a job's processes are gone.
enum ProcessTable {
    /// Every process id listed in `/proc` right now.
    static func processIDs() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }
    }

    /// The NUL-separated argv of `pid` (empty for kernel threads and zombies), or nil when it is gone.
    static func commandLine(of pid: Int32) -> Data? {
        FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
    }

    /// The NUL-separated environment `pid` started with, or nil when it is gone or unreadable.
    static func environment(of pid: Int32) -> Data? {
        FileManager.default.contents(atPath: "/proc/\(pid)/environ")
    }

    /// The arguments of `pid`, or nil when it is gone.
    static func arguments(of pid: Int32) -> [String]? {
        guard let data = commandLine(of: pid) else { return nil }
        var parts = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// The live (not zombie) processes that have `argument` as one of their arguments, e.g. a test's unique marker.
    static func processIDs(withArgument argument: String) -> [Int32] {
        processIDs().filter { arguments(of: $0)?.contains(argument) == true }
    }
}
