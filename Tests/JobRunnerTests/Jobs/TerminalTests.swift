import Foundation
import Testing

/// `--tty always` gives the child a pseudo-terminal (programs keep their colours and progress bars) while its
/// output is still masked; standard input passes through to the child.
@Suite("jobrunner exec: terminals and standard input")
struct TerminalTests {
    @Test("with --tty always the child sees a terminal on stdout and its output is still masked")
    func pseudoTerminalOutputIsMasked() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let token = "tty-\(randomHex(24))"
            try sandbox.createSecret("token", value: token)
            let script = try sandbox.file(
                "tty.py",
                """
                import os, sys
                print(f"isatty={os.isatty(1)} stderr_isatty={os.isatty(2)}")
                print(f"token={os.environ['TOKEN']}", flush=True)
                """)
            let result = try sandbox.run(["exec", "--tty", "always", "--env", "TOKEN=token", "--", "python3", script])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.output.contains("isatty=True"), "\(result)")
            #expect(result.output.contains("token=****"), "\(result)")
            #expect(LeakTests.Forbidden(token).found(in: result.stdout + result.stderr).isEmpty, "\(result)")

            let pipes = try sandbox.run(["exec", "--tty", "never", "--env", "TOKEN=token", "--", "python3", script])
            #expect(pipes.output.contains("isatty=False"), "\(pipes)")
        }
    }

    @Test("standard input reaches the child")
    func standardInputPassesThrough() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("token", value: "stdin-\(randomHex(24))")
            let plain = try sandbox.run(["exec", "--", "cat"], stdin: Data("hi\n".utf8))
            #expect(plain.exitCode == 0 && plain.output == "hi\n", "\(plain)")
            let lines = (0..<2000).map { "line \($0)" }.joined(separator: "\n") + "\n"
            let masked = try sandbox.run(["exec", "--env", "TOKEN=token", "--", "cat"], stdin: Data(lines.utf8))
            #expect(masked.exitCode == 0 && masked.output == lines, "stdin of \(lines.utf8.count) bytes did not pass through intact")
        }
    }
}
