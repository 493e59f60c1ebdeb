import Foundation
import Injector
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A command that cannot run is an error from `launch` itself, mapped to the shell's statuses: 127 when it does
/// not exist, 126 when it cannot be executed.
struct ExecFailureTests {
    @Test("a command missing from PATH is 127", arguments: LaunchFixture.modes)
    func notFoundInPath(isolation: IsolationPreference) throws {
        let error = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(LaunchFixture.request(["no-such-command-xyz"], isolation: isolation))
        }
        #expect(error == .commandNotFound("no-such-command-xyz"))
        #expect(error.exitStatus == 127)
    }

    @Test("a path to nothing is 127, relative to the working directory", arguments: LaunchFixture.modes)
    func missingPath(isolation: IsolationPreference) throws {
        let scratch = ScratchDirectory()
        let error = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(
                LaunchFixture.request(["./missing"], isolation: isolation, workingDirectory: scratch.path))
        }
        #expect(error.exitStatus == 127)
    }

    @Test("a relative path runs from the working directory", arguments: LaunchFixture.modes)
    func relativePath(isolation: IsolationPreference) async throws {
        let scratch = ScratchDirectory()
        try scratch.write("hello.sh", "#!/bin/sh\necho hello from $(pwd)\n", mode: 0o755)
        let finished = try await RunningChild.run(
            LaunchFixture.request(["./hello.sh"], isolation: isolation, workingDirectory: scratch.path))
        #expect(finished.stdoutLines == ["hello from \(scratch.path)"])
    }

    @Test("a file without execute permission is 126", arguments: LaunchFixture.modes)
    func notExecutable(isolation: IsolationPreference) throws {
        let scratch = ScratchDirectory()
        let script = try scratch.write("plain.sh", "#!/bin/sh\necho hi\n", mode: 0o644)
        let error = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(LaunchFixture.request([script], isolation: isolation))
        }
        #expect(error == .cannotExecute(script, reason: "permission denied"))
        #expect(error.exitStatus == 126)
    }

    @Test("a directory is 126", arguments: LaunchFixture.modes)
    func directory(isolation: IsolationPreference) throws {
        let error = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(LaunchFixture.request(["/tmp"], isolation: isolation))
        }
        #expect(error.exitStatus == 126)
    }

    @Test("execve's own refusals are 126: unknown format, missing interpreter", arguments: LaunchFixture.modes)
    func execveRefusals(isolation: IsolationPreference) throws {
        let scratch = ScratchDirectory()
        let garbage = try scratch.write("garbage", "\u{7F}ELF-but-not-really", mode: 0o755)
        let orphan = try scratch.write("orphan.sh", "#!/no/such/interpreter\n", mode: 0o755)
        let garbageError = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(LaunchFixture.request([garbage], isolation: isolation))
        }
        #expect(garbageError == .cannotExecute(garbage, reason: "it is not in an executable format"))
        let orphanError = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(LaunchFixture.request([orphan], isolation: isolation))
        }
        #expect(orphanError == .cannotExecute(orphan, reason: "its interpreter was not found"))
        #expect(orphanError.exitStatus == 126)
    }

    @Test("a working directory that does not exist is 126", arguments: LaunchFixture.modes)
    func missingWorkingDirectory(isolation: IsolationPreference) throws {
        let error = try #require(throws: LaunchError.self) {
            try ChildLauncher.launch(LaunchFixture.request(["true"], isolation: isolation, workingDirectory: "/no/such/dir"))
        }
        #expect(error.exitStatus == 126)
    }
}
