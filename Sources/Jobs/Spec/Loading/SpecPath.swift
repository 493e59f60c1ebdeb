import Foundation

/// Turns the paths a spec mentions into absolute, lexically normalized paths, so that a step's working directory
/// does not depend on where the runner was started.
enum SpecPath {
    /// `path` made absolute against `base` (itself absolute) with `.` and `..` components removed; symbolic links
    /// are left alone, as the step will see them.
    static func absolute(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var components: [Substring] = []
        for component in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// `path` made absolute against the runner's current directory.
    static func absolute(_ path: String) -> String {
        absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
    }

    /// The directory part of the absolute `path`.
    static func directory(of path: String) -> String {
        absolute("..", relativeTo: path)
    }

    /// The file name of `path` without its last extension: `jobs/train.json` gives `train`.
    static func baseName(of path: String) -> String {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return fileName }
        return String(fileName[..<dot])
    }
}
