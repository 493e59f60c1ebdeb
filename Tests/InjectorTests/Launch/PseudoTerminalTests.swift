import Foundation
import Injector
import Testing

/// With pseudo-terminals the job believes it writes to a terminal, while its bytes reach the runner unchanged.
struct PseudoTerminalTests {
    @Test("stdout and stderr are terminals, stdout is the controlling one, and bytes pass unchanged", arguments: LaunchFixture.modes)
    func terminalsPassBytesUnchanged(isolation: IsolationPreference) async throws {
        let script = """
            [ -t 1 ] && echo stdout-is-a-tty
            [ -t 2 ] && echo stderr-is-a-tty >&2
            (exec 3</dev/tty) 2>/dev/null && echo has-controlling-terminal
            printf 'a\\nb\\r\\nc\\033[31mred\\033[0m\\n'
            """
        let finished = try await RunningChild.run(
            LaunchFixture.request(["sh", "-c", script], isolation: isolation, output: .pseudoTerminals))
        #expect(finished.stdout == "stdout-is-a-tty\nhas-controlling-terminal\na\nb\r\nc\u{1B}[31mred\u{1B}[0m\n")
        #expect(finished.stderr == "stderr-is-a-tty\n")
        #expect(finished.exit == .exited(0))
    }

    @Test("with pipes the job sees no terminal", arguments: LaunchFixture.modes)
    func pipesAreNotTerminals(isolation: IsolationPreference) async throws {
        let finished = try await RunningChild.run(
            LaunchFixture.request(["sh", "-c", "[ -t 1 ] || echo not-a-tty"], isolation: isolation))
        #expect(finished.stdout == "not-a-tty\n")
    }
}
