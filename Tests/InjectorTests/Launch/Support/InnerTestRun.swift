import Foundation
import Injector
import Testing

/// Runs this test binary again, limited to one probe test, under a wrapper command (`setpriv`, `unshare`) that puts
/// it in conditions the outer run cannot have (an unprivileged user, namespaces refused). The probe writes what it
/// saw to a report file, line by line, which the outer test compares.
enum InnerTestRun {
    /// Set only in the inner run: where the probe writes its report.
    static let reportVariable = "JOBRUNNER_LAUNCH_PROBE_REPORT"

    /// Whether this process is an inner run (probes run only there).
    static var isInner: Bool { ProcessInfo.processInfo.environment[reportVariable] != nil }

    /// Whether this process may start inner runs under other users and namespaces (it must be root, not a probe).
    static var canStart: Bool { !isInner && geteuid() == 0 }

    /// Runs the probe test named `probe` (a `--filter` pattern) under `wrapper`, then returns its report lines.
    static func run(probe: String, under wrapper: [String]) async throws -> [String] {
        let scratch = ScratchDirectory()
        // The probe may run as another user: it must be able to write its report here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
        let report = scratch.path + "/report"
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let inner = try await RunningChild.run(
            LaunchFixture.request(
                wrapper + [testBinary, "--testing-library", "swift-testing", "--filter", probe],
                environment: [(reportVariable, report)], isolation: .sharedMemory, workingDirectory: scratch.path))
        #expect(inner.exit == .exited(0), "inner run of \(probe): \(inner.stdout)\n\(inner.stderr)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    /// Writes the probe's report (in the inner run).
    static func writeReport(_ lines: [String]) throws {
        let path = try #require(ProcessInfo.processInfo.environment[reportVariable])
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }
}
