import ArgumentParser
import Testing

@testable import jobrunner

/// `jobrunner exec` parses its usual command lines without ArgumentParser (``ExecFastPath``); these tests hold
/// the fast path to ArgumentParser's result: whenever it returns a request, ArgumentParser, parsing the same
/// arguments as `main` does, must produce the same request.
@Suite("exec fast path")
struct ExecFastPathTests {
    /// What ArgumentParser makes of `arguments` on the way `main` takes (global options moved, then
    /// `parseAsRoot`), or nil when it refuses them or they name another command.
    static func parsedByArgumentParser(_ arguments: [String]) -> ExecRequest? {
        let reordered = GlobalOptionPlacement.reorder(arguments, root: JobRunner.self)
        guard let command = try? JobRunner.parseAsRoot(reordered) as? ExecCommand else { return nil }
        return command.request
    }

    @Test(
        "the usual entrypoint command lines take the fast path and parse as ArgumentParser parses them",
        arguments: [
            ["exec", "--", "/bin/true"],
            ["exec", "--env", "HF_TOKEN=default/hf-token", "--file", "wandb_key=default/wandb-key", "--", "python3", "train.py"],
            ["exec", "--env=A=ws/a", "--env", "B=b", "--file=k=ws/k", "--file", "l=l", "--", "cmd", "--env", "x", "--"],
            ["--data-dir", "/srv/jr", "--config=/etc/jr.yaml", "exec", "-v", "--", "run", "--help"],
            ["exec", "--data-dir", "/srv/jr", "--workspace", "team", "--name", "train", "--verbose", "--", "sh", "-c", "true"],
            [
                "exec", "--secrets-url", "http://secrets:8080", "--service-token-file", "/run/token", "--owner", "alice",
                "--env", "T=team/t", "--", "python3", "train.py",
            ],
            [
                "exec", "--allow-cross-workspace", "--clean-env", "--no-masking", "--mask-min-length", "8", "--isolation",
                "shared-memory", "--tty=never", "--kill-grace", "0", "--", "/bin/echo", "hi",
            ],
            ["exec", "--isolation=namespace", "--tty", "always", "--mask-min-length=+3", "--", "x"],
        ])
    func usualCommandLines(_ arguments: [String]) {
        let fast = ExecFastPath.request(from: arguments)
        #expect(fast != nil, "the fast path should take \(arguments)")
        #expect(fast == Self.parsedByArgumentParser(arguments))
    }

    @Test(
        "help, mistakes and unusual shapes go to ArgumentParser",
        arguments: [
            ["exec", "--help"], ["exec", "-h", "--", "x"], ["exec", "--help", "--", "x"],
            ["exec"], ["exec", "--"], ["exec", "x"], ["exec", "--bogus", "--", "x"], ["exec", "--env", "--", "x"],
            ["exec", "--env"], ["exec", "--env", "-A=b", "--", "x"], ["exec", "--env=", "--", "x"],
            ["exec", "--name", "a", "--name", "b", "--", "x"], ["exec", "-v", "-v", "--", "x"], ["exec", "-vv", "--", "x"],
            ["exec", "--verbose=true", "--", "x"], ["exec", "--mask-min-length", "0", "--", "x"],
            ["exec", "--kill-grace", "-1", "--", "x"], ["exec", "--kill-grace", "soon", "--", "x"],
            ["exec", "--isolation", "Namespace", "--", "x"], ["exec", "--tty", "sometimes", "--", "x"],
            ["run", "jobs/demo.yaml"], ["--workspace", "w", "exec", "--", "x"], ["--", "exec", "x"],
            ["secrets", "list"], ["exec", "exec", "--", "x"], [],
        ])
    func declined(_ arguments: [String]) {
        #expect(ExecFastPath.request(from: arguments) == nil)
    }

    /// Command lines drawn from the options (with good and bad values), stray words and help requests, in any
    /// order: the fast path must decline or agree with ArgumentParser on every one, and take a fair share of them
    /// (else the generator would prove nothing).
    @Test("1,000 generated command lines: the fast path declines or agrees with ArgumentParser")
    func generatedCommandLines() {
        let pieces: [[String]] = [
            ["--env", "A=default/a"], ["--env", "B=ws/b"], ["--env=C=c"], ["--env"], ["--env="], ["--env", "-"],
            ["--file", "f=default/f"], ["--file=g=g"], ["--workspace", "ws"], ["--workspace"], ["--name", "job"],
            ["--name=x y"], ["-v"], ["--verbose"], ["--verbose=true"], ["-vh"], ["--secrets-url", "http://127.0.0.1:1"],
            ["--service-token-file", "/run/token"], ["--owner", "alice"], ["--owner", "é=ü"], ["--allow-cross-workspace"],
            ["--clean-env"], ["--no-masking"], ["--mask-min-length", "0"], ["--mask-min-length", "3"],
            ["--mask-min-length=+4"], ["--mask-min-length", "x"], ["--isolation", "auto"], ["--isolation=namespace"],
            ["--isolation", "shared-memory"], ["--isolation", "bogus"], ["--tty", "always"], ["--tty=never"],
            ["--tty", "auto"], ["--kill-grace", "-1"], ["--kill-grace", "5"], ["--data-dir", "/d"], ["--config", "/c"],
            ["--data-dir=/e"], ["--config=/f"], ["-h"], ["--help"], ["run"], ["--bogus"], [""], ["exec"], ["--"],
        ]
        var random = SplitMix64(seed: 0x6a6f_6272_756e)
        func any<Element>(_ elements: [Element]) -> Element { elements[Int(random.next() % UInt64(elements.count))] }
        var taken = 0
        for _ in 0..<1_000 {
            var arguments: [String] = []
            if random.next() % 8 == 0 { arguments += any([["--data-dir", "/g"], ["--config=/h"], ["--name", "n"]]) }
            if random.next() % 8 != 0 { arguments.append("exec") }
            for _ in 0..<Int(random.next() % 5) { arguments += any(pieces) }
            if random.next() % 8 != 0 {
                arguments.append("--")
                for _ in 0..<Int(random.next() % 3) { arguments += any(pieces) }
            }
            guard let fast = ExecFastPath.request(from: arguments) else { continue }
            taken += 1
            let parsed = Self.parsedByArgumentParser(arguments)
            #expect(fast == parsed, "\(arguments)")
            if fast != parsed { return }
        }
        #expect(taken > 100, "only \(taken) of 1,000 generated command lines took the fast path")
    }
}

/// A small seeded generator, so a failing command line comes back on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
