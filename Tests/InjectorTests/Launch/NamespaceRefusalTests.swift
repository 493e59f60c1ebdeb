import Foundation
import Injector
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Where the kernel refuses new namespaces, automatic isolation falls back to `/dev/shm` and says why, while a
/// launch that requires the namespace fails with status 125. The outer test makes the refusal real: it runs the
/// probe in a user namespace whose PID-namespace limit is 0.
struct NamespaceRefusalTests {
    static let refusal = "clone(CLONE_NEWPID|CLONE_NEWNS): No space left on device"

    @Test(
        "refused namespaces: automatic falls back to shared memory and says why; namespace-only fails with 125",
        .enabled(if: InnerTestRun.canStart && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func refusedNamespaces() async throws {
        let report = try await InnerTestRun.run(
            probe: "NamespaceRefusalTests/probe",
            under: [
                "unshare", "--user", "--map-root-user", "sh", "-c",
                "echo 0 > /proc/sys/user/max_pid_namespaces && exec \"$@\"", "limit-pid-namespaces",
            ])
        let fallback = "shared memory (/dev/shm): the kernel refused a private namespace (\(Self.refusal))"
        #expect(
            report == [
                "isolation \(fallback)", "output from-a-file", "exit exit status 0", "removed true",
                "second isolation \(fallback)", "namespace-only 125 a private namespace for the job is unavailable: \(Self.refusal)",
            ])
    }

    @Test("probe: launch where namespaces are refused (runs only inside the test above)", .enabled(if: InnerTestRun.isInner))
    func probe() async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        let first = try RunningChild(
            LaunchFixture.request(
                ["sh", "-c", "cat \"$SECRETS/token\""], environment: [("SECRETS", directory.path)], isolation: .automatic,
                files: [SecretFile(name: "token", value: SecretValue("from-a-file"))], directory: directory))
        let finished = try await first.finish()
        // A second launch goes straight to shared memory, with the remembered reason.
        let second = try await RunningChild(LaunchFixture.request(["true"], isolation: .automatic)).child
        _ = await second.waitForExit()
        var namespaceOnly = "launched"
        do {
            _ = try ChildLauncher.launch(LaunchFixture.request(["true"], isolation: .namespace))
        } catch let error as LaunchError {
            namespaceOnly = "\(error.exitStatus) \(error)"
        }
        try InnerTestRun.writeReport([
            "isolation \(first.child.isolation)", "output \(finished.stdout)", "exit \(finished.exit)",
            "removed \(!pathExists(directory.path))", "second isolation \(second.isolation)", "namespace-only \(namespaceOnly)",
        ])
    }
}
