import Foundation
import Testing

/// Finds the `jobrunner` executable these end-to-end tests run as a child process.
///
/// The tests exercise the real binary, not the library, so that argument parsing, exit codes and what reaches
/// standard output and standard error are checked exactly as a user or a script sees them.
enum JobRunnerExecutable {
    /// The executable: `$JOBRUNNER_BIN` when set, else `jobrunner` beside the test bundle (`.build/debug`).
    static let url: URL? = locate()

    /// The executable, or a test failure that says how to build or point at it.
    static func require() throws -> URL {
        try #require(
            url,
            """
            the jobrunner executable was not found next to the test bundle; build it with \
            'swift build --build-tests' or set JOBRUNNER_BIN to its path
            """)
    }

    private static func locate() -> URL? {
        let fileManager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["JOBRUNNER_BIN"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        // On Linux the test bundle is an executable in .build/<config>/; on macOS it is a bundle directory there.
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            var current = directory.standardizedFileURL
            // Walk up a few levels: `swift test` may run a helper from a nested directory of the bundle.
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("jobrunner")
                if fileManager.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        return nil
    }
}
