import Foundation
import Testing

/// While a job runs and after it ends, its secret values exist only in the child: not in the runner's environment,
/// no process's argv, the job log, the audit trail, the data directory, or anything left in /dev/shm or /tmp.
@Suite("jobrunner run: where values must not appear")
struct RunLeakTests {
    @Test("values and their base64 appear in no argv, runner environment, log, audit, data file or temp file")
    func valuesStayInsideTheChild() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            // Files changed after this one are the ones this test may have left behind.
            let startMark = try sandbox.file("start-mark", "")
            // Back-dated, because file times advance in clock ticks: a file made in the same tick would not be newer.
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2)], ofItemAtPath: startMark)
            let token = "leak-env-\(randomHex(40))"
            let key = "leak-file-\(randomHex(40))"
            let forbidden = [token, key].map(LeakTests.Forbidden.init)
            try sandbox.createSecret("token", value: token)
            try sandbox.createSecret("key", value: key)
            let child = try ControlledChild(
                in: sandbox,
                prelude: """
                    import base64
                    print("token", os.environ["TOKEN"], base64.b64encode(os.environ["TOKEN"].encode()).decode(), flush=True)
                    print("key", open(os.environ["KEY_FILE"]).read(), file=sys.stderr, flush=True)
                    """)
            let spec = try sandbox.writeSpec(
                """
                name: leak-check
                steps:
                  - name: hold
                    run: \(yamlList(child.argv))
                    env:
                      TOKEN: { secret: token }
                    files:
                      key: { secret: key, env: KEY_FILE }
                """)

            let runner = try sandbox.start(["run", spec])
            let state = try #require(child.waitUntilReady(unlessEnded: runner), "the step never started: \(runner.errorOutputSoFar)")
            let secretsDirectory = try #require(state["secrets_dir"] as? String)
            #expect(state["files"] as? [String] == ["key"])

            // While the child runs: the runner's environment, every process's argv, and every process's environment
            // but the job's own.
            let jobProcesses = Set(child.processIDs)
            #expect(!jobProcesses.isEmpty, "the job's process was not found by its marker \(child.marker)")
            let runnerEnvironment = try #require(ProcessTable.environment(of: runner.pid))
            for value in forbidden {
                #expect(value.found(in: runnerEnvironment).isEmpty, "value in /proc/\(runner.pid)/environ")
            }
            var processesSeen = 0
            for pid in ProcessTable.processIDs() {
                guard let commandLine = ProcessTable.commandLine(of: pid) else { continue }
                processesSeen += 1
                for value in forbidden {
                    #expect(value.found(in: commandLine).isEmpty, "value in /proc/\(pid)/cmdline: \(ProcessTable.arguments(of: pid) ?? [])")
                }
                guard !jobProcesses.contains(pid), let environment = ProcessTable.environment(of: pid) else { continue }
                for value in forbidden {
                    #expect(value.found(in: environment).isEmpty, "value in /proc/\(pid)/environ: \(ProcessTable.arguments(of: pid) ?? [])")
                }
            }
            #expect(processesSeen > 3)
            // The scan works: the job's own environment, the one place the value belongs, is found holding it.
            let jobEnvironments = jobProcesses.compactMap { ProcessTable.environment(of: $0) }
            #expect(jobEnvironments.contains { !forbidden[0].found(in: $0).isEmpty }, "the scan cannot see the value where it is")
            var scannedWhileRunning = try scanDataDirectory(of: sandbox, for: forbidden, when: "while the job runs")
            #expect(scannedWhileRunning.contains { $0.hasSuffix("jobs.sqlite-wal") }, "\(scannedWhileRunning)")

            child.release()
            let result = runner.wait()
            #expect(result.exitCode == 0, "\(result)")
            // The child printed both values; the runner passed them on masked.
            #expect(result.output.contains("token **** ****"), "\(result)")
            #expect(result.errorOutput.contains("key ****"), "\(result)")
            for value in forbidden {
                #expect(value.found(in: result.stdout).isEmpty && value.found(in: result.stderr).isEmpty, "\(result)")
            }

            // After the run: the log, the audit trail, every file of the data directory, the secrets directory.
            let job = try sandbox.latestJobID()
            let log = try Data(contentsOf: sandbox.dataDirectory.appendingPathComponent("logs/\(job).jsonl"))
            #expect(log.range(of: Data("token **** ****".utf8)) != nil, "the log should hold the masked line")
            let audit = try sandbox.run(["audit", "--output", "json"])
            #expect(audit.exitCode == 0 && audit.output.contains("default/token"), "\(audit)")
            for value in forbidden {
                #expect(value.found(in: log).isEmpty, "value in the job log")
                #expect(value.found(in: audit.stdout).isEmpty, "value in the audit output")
            }
            scannedWhileRunning = try scanDataDirectory(of: sandbox, for: forbidden, when: "after the job")
            #expect(scannedWhileRunning.contains { $0.hasSuffix("jobs.sqlite") })
            #expect(!FileManager.default.fileExists(atPath: secretsDirectory), "\(secretsDirectory) is left")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/dev/shm")
                .filter { $0.hasPrefix("jobrunner-\(runner.pid)-") }
            #expect(leftovers.isEmpty, "the runner left \(leftovers) in /dev/shm")

            // Anything created or changed in /dev/shm or /tmp since the test began.
            let changed = try FileScan.regularFiles(
                in: ["/dev/shm", "/tmp", sandbox.root.path], changedAfter: startMark)
            #expect(changed.contains { $0.hasPrefix(sandbox.dataDirectory.path) }, "the scan does not see the test's own files")
            for path in changed {
                guard let contents = FileScan.contents(of: path) else { continue }
                for value in forbidden {
                    let found = value.found(in: contents)
                    #expect(found.isEmpty, "value (\(found)) in \(path)")
                }
            }
        }
    }

    /// Reads every file of the sandbox's data directory (the databases with their -wal and -shm files, the logs)
    /// and records an issue for each value found; returns the files read.
    private func scanDataDirectory(of sandbox: Sandbox, for forbidden: [LeakTests.Forbidden], when: String) throws -> [String] {
        let files = FileScan.regularFiles(under: sandbox.dataDirectory.path)
        for file in files {
            let contents = try Data(contentsOf: URL(fileURLWithPath: file))
            for value in forbidden {
                let found = value.found(in: contents)
                #expect(found.isEmpty, "\(when): value (\(found)) in \(file)")
            }
        }
        return files
    }
}
