import Foundation
import Injector
import SecretStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Secret files: exact bytes, mode 0400 in a 0700 directory on tmpfs, invisible outside the job in namespace mode,
/// and gone once the job has ended.
struct SecretFileTests {
    /// Every byte value, including NUL, newlines and invalid UTF-8.
    static let binaryValue = SecretValue(bytes: (0...255).map { UInt8($0) } + [0xFF, 0xFE, 0x00, 0x0A])
    static let multiLineValue = SecretValue("-----BEGIN KEY-----\nline two\r\nline three\n\n")

    /// A shell script that prints, for each file name given, a hex dump of its bytes and its mode, then the
    /// directory's mode and file system type, all as the child sees them.
    static let inspector = #"""
        for name in "$@"; do
            printf 'file %s %s\n' "$name" "$(stat -c %a "$SECRETS/$name")"
            od -An -v -tx1 "$SECRETS/$name" | tr -d ' \n'; echo
        done
        printf 'dir %s %s\n' "$(stat -c %a "$SECRETS")" "$(stat -f -c %T "$SECRETS")"
        """#

    static func hex(_ value: SecretValue) -> String {
        value.revealedBytes().map { String(format: "%02x", $0) }.joined()
    }

    @Test("files hold their exact bytes, mode 0400, in a 0700 tmpfs directory", arguments: LaunchFixture.modes)
    func filesAsTheChildSeesThem(isolation: IsolationPreference) async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        let files = [
            SecretFile(name: "binary", value: Self.binaryValue), SecretFile(name: "multi.line", value: Self.multiLineValue),
            SecretFile(name: "token", value: SecretValue("hf_abcdefghijklmnop")),
        ]
        let finished = try await RunningChild.run(
            LaunchFixture.request(
                ["sh", "-c", Self.inspector, "inspector"] + files.map(\.name), environment: [("SECRETS", directory.path)],
                isolation: isolation, files: files, directory: directory))
        var expected: [String] = []
        for file in files { expected += ["file \(file.name) 400", Self.hex(file.value)] }
        expected.append("dir 700 tmpfs")
        #expect(finished.stdoutLines == expected, "stderr: \(finished.stderr)")
        #expect(finished.exit == .exited(0))
    }

    @Test("the launcher reserves a directory when the caller did not, and reports its path")
    func directoryReservedByTheLauncher() async throws {
        let request = LaunchFixture.request(
            ["true"], isolation: .namespace, files: [SecretFile(name: "key", value: SecretValue("value-123"))])
        let child = try RunningChild(request)
        let path = try #require(child.child.secretsDirectory)
        #expect(path.hasPrefix("/dev/shm/jobrunner-\(getpid())-"))
        _ = try await child.finish()
        #expect(!pathExists(path))
    }

    @Test("namespace mode: outside the job the mount point stays empty, and the tmpfs dies with the job")
    func mountPointEmptyOutside() async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        let running = try RunningChild(
            LaunchFixture.request(
                ["sh", "-c", "cat \"$SECRETS/token\" >/dev/null && echo ready && exec sleep 600"],
                environment: [("SECRETS", directory.path)], isolation: .namespace,
                files: [SecretFile(name: "token", value: SecretValue("visible-only-inside"))], directory: directory))
        try await running.stdout.waitUntil(contains: "ready")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
        #expect(!ProcessTree.processesMounting(directory.path).contains(getpid()))
        // Under heavy load the kernel's children list can lag the job's first output; wait for it.
        try await Eventually.wait("the job to be listed as PID 1's child") {
            !ProcessTree.children(of: running.child.pid).isEmpty
        }
        let job = try #require(ProcessTree.children(of: running.child.pid).first)
        #expect(ProcessTree.processesMounting(directory.path).contains(job))

        running.child.send(SIGTERM)
        let finished = try await running.finish()
        #expect(finished.exit == .signaled(SIGTERM))
        try await Eventually.wait("the job's tmpfs to be unmounted everywhere") {
            ProcessTree.processesMounting(directory.path).isEmpty
        }
        #expect(!pathExists(directory.path))
    }

    @Test("shared-memory mode: the files sit in /dev/shm while the job runs and are gone after it")
    func sharedMemoryFilesRemoved() async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        let running = try RunningChild(
            LaunchFixture.request(
                ["sh", "-c", "echo ready && exec sleep 600"], isolation: .sharedMemory,
                files: [SecretFile(name: "token", value: SecretValue("in-dev-shm"))], directory: directory))
        try await running.stdout.waitUntil(contains: "ready")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["token"])
        #expect(throws: LaunchError.self) { try running.child.removeSecretsDirectory() }
        running.child.send(SIGKILL)
        let finished = try await running.finish()
        #expect(finished.exit == .signaled(SIGKILL))
        #expect(!pathExists(directory.path))
    }

    @Test("the directory is gone after the job in both modes, whatever the exit", arguments: LaunchFixture.modes)
    func directoryGoneAfterExit(isolation: IsolationPreference) async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        let finished = try await RunningChild.run(
            LaunchFixture.request(
                ["sh", "-c", "exit 7"], isolation: isolation, files: [SecretFile(name: "a", value: SecretValue("x-value"))],
                directory: directory))
        #expect(finished.exit == .exited(7))
        #expect(!pathExists(directory.path))
    }

    @Test("a failed launch removes the directory it was given", arguments: LaunchFixture.modes)
    func failedLaunchRemovesDirectory(isolation: IsolationPreference) async throws {
        let directory = try TmpfsSecretDirectory.reserve()
        #expect(throws: LaunchError.commandNotFound("no-such-command-xyz")) {
            try ChildLauncher.launch(
                LaunchFixture.request(
                    ["no-such-command-xyz"], isolation: isolation,
                    files: [SecretFile(name: "a", value: SecretValue("x-value"))], directory: directory))
        }
        #expect(!pathExists(directory.path))
    }

    @Test("unsafe file names are refused before anything is written")
    func unsafeFileNames() throws {
        for name in ["", ".", "..", "a/b", "../escape", "nul\0byte"] {
            #expect(throws: LaunchError.self) {
                try ChildLauncher.launch(
                    LaunchFixture.request(
                        ["true"], isolation: .sharedMemory, files: [SecretFile(name: name, value: SecretValue("v-value"))]))
            }
        }
    }
}
