import Foundation
import Injector
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// As an unprivileged user the launcher still gets a private namespace, through a user namespace that maps the
/// user's own ids. The tests run as root, so the outer test runs the probe again as `nobody` with `setpriv`.
struct UnprivilegedNamespaceTests {
    static let nobody: uid_t = 65534
    static let secret = "unprivileged-secret-value"

    @Test(
        "an unprivileged user's job runs in a user + mount + PID namespace with its files",
        .enabled(if: InnerTestRun.canStart && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func unprivilegedUserGetsANamespace() async throws {
        let report = try await InnerTestRun.run(
            probe: "UnprivilegedNamespaceTests/probe",
            under: ["setpriv", "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups"])
        #expect(
            report == [
                "isolation namespace", "uid \(Self.nobody)", "mode 400", "dir 700", "fs tmpfs", "value matches true",
                "outside []", "exit signal 15 (SIGTERM)", "removed true",
            ])
    }

    @Test("probe: launch as nobody (runs only inside the test above)", .enabled(if: InnerTestRun.isInner))
    func probe() async throws {
        #expect(geteuid() == Self.nobody)
        let directory = try TmpfsSecretDirectory.reserve()
        let script = """
            id -u; stat -c %a "$SECRETS/token"; stat -c %a "$SECRETS"; stat -f -c %T "$SECRETS"; cat "$SECRETS/token"; echo
            echo ready; exec sleep 600
            """
        let running = try RunningChild(
            LaunchFixture.request(
                ["sh", "-c", script], environment: [("SECRETS", directory.path)], isolation: .namespace,
                files: [SecretFile(name: "token", value: SecretValue(Self.secret))], directory: directory))
        try await running.stdout.waitUntil(contains: "ready")
        let outside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        running.child.send(SIGTERM)
        let finished = try await running.finish()
        let seen = finished.stdoutLines
        try #require(seen.count == 6, "child wrote \(finished.stdout) \(finished.stderr)")
        try InnerTestRun.writeReport([
            "isolation \(running.child.isolation)", "uid \(seen[0])", "mode \(seen[1])", "dir \(seen[2])", "fs \(seen[3])",
            "value matches \(seen[4] == Self.secret)", "outside \(outside)", "exit \(finished.exit)",
            "removed \(!pathExists(directory.path))",
        ])
    }
}
