import Foundation
import Testing

/// What a job prints reaches the terminal and the job log with `****` in place of every injected value, in every
/// form a program commonly prints it, also when it arrives a byte at a time; the child itself sees the real value.
@Suite("jobrunner run and exec: masking")
struct MaskingTests {
    /// A child that proves it saw both values (their SHA-256) and prints each raw and encoded.
    static let revealScript = """
        import base64, hashlib, json, os, sys, urllib.parse

        with open(os.environ["KEY_FILE"], "rb") as handle:
            file_value = handle.read()
        for label, value in (("env", os.environ["TOKEN"].encode()), ("file", file_value)):
            text = value.decode()
            print(f"{label} sha256={hashlib.sha256(value).hexdigest()}")
            print(f"{label} raw=[{text}]")
            print(f"{label} base64=[{base64.b64encode(value).decode()}]")
            print(f"{label} base64url=[{base64.urlsafe_b64encode(value).decode().rstrip('=')}]")
            print(f"{label} url=[{urllib.parse.quote(text, safe='')}]")
            print(f"{label} json={json.dumps({'v': text})}")
            print(f"{label} stderr=[{text}]", file=sys.stderr)
        """

    @Test("the child sees the real values; stdout, stderr and the log show **** for raw, base64, URL and JSON forms")
    func childSeesValuesWhileOutputAndLogAreMasked() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            // Characters that each encoding changes, so every form differs from the raw value.
            let token = "tok/en+\(randomHex(24)) \"quoted\" back\\slash é"
            let key = "key=\(randomHex(24))&more/ü"
            try sandbox.createSecret("token", value: token)
            try sandbox.createSecret("key", value: key)
            let script = try sandbox.file("reveal.py", Self.revealScript)
            let spec = try sandbox.writeSpec(
                """
                name: masking
                workspace: default
                steps:
                  - name: reveal
                    run: \(yamlList(["python3", script]))
                    env:
                      TOKEN: { secret: token }
                    files:
                      key: { secret: default/key, env: KEY_FILE }
                """)

            let result = try sandbox.run(["run", spec])
            #expect(result.exitCode == 0, "\(result)")
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.contains("env sha256=\(sha256Hex(token))"), "\(result)")
            #expect(lines.contains("file sha256=\(sha256Hex(key))"), "\(result)")
            let maskedLines = ["raw=[****]", "base64=[****]", "base64url=[****]", "url=[****]", #"json={"v": "****"}"#]
            for label in ["env", "file"] {
                for masked in maskedLines {
                    #expect(lines.contains("\(label) \(masked)"), "\(label) \(masked) missing: \(result)")
                }
                #expect(result.errorOutput.contains("\(label) stderr=[****]"), "\(result)")
            }
            for value in [token, key] {
                let forbidden = LeakTests.Forbidden(value)
                #expect(forbidden.found(in: result.stdout).isEmpty, "\(result)")
                #expect(forbidden.found(in: result.stderr).isEmpty, "\(result)")
            }

            // The log holds the same masked lines, streams told apart, and never a value.
            let job = try sandbox.latestJobID()
            let entries = try sandbox.logEntries(job)
            let stdoutLines = entries.filter { $0["stream"] as? String == "stdout" }.compactMap { $0["message"] as? String }
            let stderrLines = entries.filter { $0["stream"] as? String == "stderr" }.compactMap { $0["message"] as? String }
            #expect(stdoutLines == lines, "\(entries)")
            #expect(stderrLines.contains("env stderr=[****]") && stderrLines.contains("file stderr=[****]"), "\(entries)")
            let logFile = try Data(contentsOf: sandbox.dataDirectory.appendingPathComponent("logs/\(job).jsonl"))
            for value in [token, key] {
                #expect(LeakTests.Forbidden(value).found(in: logFile).isEmpty)
                #expect(logFile.range(of: Data(value.utf8)) == nil)
            }
        }
    }

    @Test("a value written one byte at a time, with flushes and pauses, still shows as ****")
    func valueSplitAcrossReadsIsMasked() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let token = "split-\(randomHex(30))"
            try sandbox.createSecret("token", value: token)
            let script = try sandbox.file(
                "trickle.py",
                """
                import base64, os, sys, time

                value = os.environ["TOKEN"].encode()

                def trickle(stream, data):
                    for byte in data:
                        stream.write(bytes([byte]))
                        stream.flush()
                        time.sleep(0.003)

                trickle(sys.stdout.buffer, b"before " + value + b" after\\n")
                trickle(sys.stderr.buffer, b"b64 " + base64.b64encode(value) + b" end\\n")
                # A prefix of the value that never completes is not a secret: it comes out as printed.
                trickle(sys.stdout.buffer, value[:-1] + b"|\\n")
                """)

            let result = try sandbox.run(["exec", "--env", "TOKEN=token", "--", "python3", script])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.output == "before **** after\n\(token.dropLast())|\n", "\(result)")
            #expect(result.errorOutput.contains("b64 **** end\n"), "\(result)")
            #expect(LeakTests.Forbidden(token).found(in: result.stdout + result.stderr).isEmpty, "\(result)")
            let messages = try sandbox.logEntries(sandbox.latestJobID()).compactMap { $0["message"] as? String }
            #expect(messages.contains("before **** after") && messages.contains("b64 **** end"), "\(messages)")
        }
    }

    @Test("values shorter than the minimum are not masked, with a warning naming the secret; the minimum is settable")
    func shortValuesAreNotMaskedUnlessTheMinimumAllows() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("short", value: "q7z9")
            let command = ["--env", "SHORT=short", "--", "sh", "-c", "echo \"short=$SHORT\""]

            let unmasked = try sandbox.run(["exec"] + command)
            #expect(unmasked.exitCode == 0, "\(unmasked)")
            #expect(unmasked.output == "short=q7z9\n", "\(unmasked)")
            #expect(unmasked.errorOutput.contains("default/short"), "the warning should name the secret: \(unmasked)")

            let masked = try sandbox.run(["exec", "--mask-min-length", "4"] + command)
            #expect(masked.exitCode == 0, "\(masked)")
            #expect(masked.output == "short=****\n", "\(masked)")

            try sandbox.createSecret("long", value: "long-\(randomHex(20))")
            let off = try sandbox.run(["exec", "--no-masking", "--env", "LONG=long", "--", "sh", "-c", "echo \"$LONG\" | wc -c"])
            #expect(off.exitCode == 0, "\(off)")
            #expect(off.errorOutput.contains("masking is off"), "\(off)")
        }
    }
}
