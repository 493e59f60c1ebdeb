import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Signals to the runner mid-step: SIGTERM and SIGINT reach the child, the runner ends with the child's status and
/// removes the secrets; a SIGKILLed runner takes the job and its files with it (namespace), or leaves the files for
/// the next start to remove (shared memory).
@Suite("jobrunner run and exec: signals")
struct SignalTests {
    @Test(
        "SIGTERM and SIGINT to the runner reach the child; the runner exits 128+N and removes the secrets",
        arguments: [
            (SIGTERM, ControlledChild.SignalHandling.exit), (SIGTERM, .reraise), (SIGINT, .exit), (SIGINT, .reraise),
        ])
    func forwardedSignalEndsTheStep(signal: Int32, handling: ControlledChild.SignalHandling) throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("token", value: "signal-\(randomHex(24))")
            let child = try ControlledChild(in: sandbox, handling: handling)
            let secondStepMarker = sandbox.path("second-step-ran")
            let spec = try sandbox.writeSpec(
                """
                name: signals
                steps:
                  - name: hold
                    run: \(yamlList(child.argv))
                    env:
                      TOKEN: { secret: token }
                    files:
                      token: { secret: token }
                  - name: after
                    run: \(yamlList(["touch", secondStepMarker]))
                """)

            let runner = try sandbox.start(["run", spec])
            let state = try #require(child.waitUntilReady(unlessEnded: runner), "the step never started: \(runner.errorOutputSoFar)")
            let secretsDirectory = try #require(state["secrets_dir"] as? String)
            #expect(FileManager.default.fileExists(atPath: secretsDirectory))
            runner.send(signal)
            let result = runner.wait()

            #expect(result.exitCode == 128 + signal, "\(result)")
            #expect(!result.wasSignalled, "the runner itself should survive to report: \(result)")
            #expect(child.receivedSignals == [signal], "the child should get the signal once")
            #expect(!FileManager.default.fileExists(atPath: secretsDirectory), "\(secretsDirectory) is left")
            #expect(!FileManager.default.fileExists(atPath: secondStepMarker), "the next step ran after the interruption")
            let job = try sandbox.jobRecord(try sandbox.latestJobID())
            #expect(job["status"] as? String == "interrupted", "\(job)")
            #expect(job["exit_status"] as? Int == Int(128 + signal), "\(job)")
            #expect(try sandbox.stepStatuses(job["id"] as! String) == ["interrupted", "skipped"])
        }
    }

    @Test("SIGKILL to the runner in namespace mode takes the job with it, and no secrets directory holds files")
    func killedRunnerInNamespaceModeLeavesNothing() throws {
        try SecretDirectoryGate.exclusive {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("key", value: "namespace-\(randomHex(24))")
            let child = try ControlledChild(in: sandbox)
            let runner = try sandbox.start(["exec", "--isolation", "namespace", "--file", "key=key", "--"] + child.argv)
            let state = try #require(child.waitUntilReady(unlessEnded: runner), "the step never started: \(runner.errorOutputSoFar)")
            let secretsDirectory = try #require(state["secrets_dir"] as? String)
            #expect(state["files"] as? [String] == ["key"])
            #expect(!child.processIDs.isEmpty, "the job's process was not found by its marker")
            // Outside the namespace the directory is only an empty mount point.
            #expect((try? FileManager.default.contentsOfDirectory(atPath: secretsDirectory)) == [])

            runner.send(SIGKILL)
            let result = runner.wait()
            #expect(result.exitCode == 137 && result.wasSignalled, "\(result)")
            let jobGone = eventually { child.processIDs.isEmpty }
            #expect(jobGone, "the job outlived its SIGKILLed runner: \(child.processIDs)")
            if !jobGone { child.processIDs.forEach { kill($0, SIGKILL) } }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/dev/shm")
                .filter { $0.hasPrefix("jobrunner-\(runner.pid)-") }
            for name in leftovers {
                let contents = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm/" + name)) ?? []
                #expect(contents.isEmpty, "/dev/shm/\(name) holds \(contents) after the runner was killed")
            }
            let job = try sandbox.jobRecord(try sandbox.latestJobID())
            #expect(job["status"] as? String == "abandoned", "\(job)")

            // The next start removes the empty mount point, if one is left.
            let next = try sandbox.run(["exec", "--", "true"])
            #expect(next.exitCode == 0, "\(next)")
            if !leftovers.isEmpty {
                #expect(next.errorOutput.contains("left by runners that were killed"), "\(next)")
            }
            #expect(!FileManager.default.fileExists(atPath: secretsDirectory))
        }
    }

    @Test("SIGKILL to the runner in shared-memory mode leaves the files until the next start, which removes them")
    func killedRunnerInSharedMemoryModeIsCleanedUpByTheNextStart() throws {
        try SecretDirectoryGate.exclusive {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("key", value: "shared-\(randomHex(24))")
            let child = try ControlledChild(in: sandbox)
            let runner = try sandbox.start(["exec", "--isolation", "shared-memory", "--file", "key=key", "--"] + child.argv)
            let state = try #require(child.waitUntilReady(unlessEnded: runner), "the step never started: \(runner.errorOutputSoFar)")
            let secretsDirectory = try #require(state["secrets_dir"] as? String)
            #expect(secretsDirectory.hasPrefix("/dev/shm/jobrunner-\(runner.pid)-"), "\(secretsDirectory)")

            runner.send(SIGKILL)
            #expect(eventually { !runner.isRunning })
            // Nothing could remove the files: they stay until a runner starts.
            #expect((try? FileManager.default.contentsOfDirectory(atPath: secretsDirectory)) == ["key"])
            // The job, a plain child here, may outlive its runner; stop it (identified by its marker).
            for pid in child.processIDs { kill(pid, SIGKILL) }
            #expect(eventually { child.processIDs.isEmpty })
            let result = runner.wait()
            #expect(result.exitCode == 137, "\(result)")

            let next = try sandbox.run(["exec", "--", "true"])
            #expect(next.exitCode == 0, "\(next)")
            #expect(next.errorOutput.contains("left by runners that were killed"), "\(next)")
            #expect(!FileManager.default.fileExists(atPath: secretsDirectory), "the next start did not remove \(secretsDirectory)")
        }
    }
}
