import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `timeout_seconds`: a step that runs too long is stopped with SIGTERM, then SIGKILL after `--kill-grace`, and
/// the runner exits 124 (as timeout(1) does) with the run recorded as timed out.
@Suite("jobrunner run: time limits")
struct TimeoutTests {
    @Test("a step that sleeps forever is stopped: exit 124, recorded as timed-out, its secrets removed")
    func stepPastItsLimitIsStopped() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            try sandbox.createSecret("key", value: "timeout-\(randomHex(24))")
            let secondStepMarker = sandbox.path("second-step-ran")
            let spec = try sandbox.writeSpec(
                """
                name: forever
                steps:
                  - name: sleep
                    run: ["sleep", "100000"]
                    files:
                      key: { secret: key }
                    timeout_seconds: 1
                  - name: after
                    run: \(yamlList(["touch", secondStepMarker]))
                """)

            let runner = try sandbox.start(["run", spec])
            let result = runner.wait()
            #expect(result.exitCode == 124, "\(result)")
            #expect(result.errorOutput.contains("timed out"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: secondStepMarker))
            let job = try sandbox.jobRecord(try sandbox.latestJobID())
            #expect(job["status"] as? String == "timed-out", "\(job)")
            #expect(job["exit_status"] as? Int == 124, "\(job)")
            #expect(try sandbox.stepStatuses(job["id"] as! String) == ["timed-out", "skipped"])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/dev/shm")
                .filter { $0.hasPrefix("jobrunner-\(runner.pid)-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test("a child that ignores SIGTERM is killed with SIGKILL after --kill-grace")
    func childIgnoringSigtermIsKilledAfterTheGrace() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let child = try ControlledChild(in: sandbox, handling: .ignore)
            // The limit leaves Python ample time to install its handler even on a loaded machine.
            let spec = try sandbox.writeSpec(
                """
                name: stubborn
                steps:
                  - name: ignore-term
                    run: \(yamlList(child.argv))
                    timeout_seconds: 5
                """)

            let result = try sandbox.run(["run", "--kill-grace", "1", spec])
            #expect(result.exitCode == 124, "\(result)")
            #expect(child.receivedSignals == [SIGTERM], "the child should see SIGTERM first: \(result)")
            #expect(result.errorOutput.contains("SIGKILL"), "the runner should say the step was killed: \(result)")
            #expect(child.processIDs.isEmpty, "the child survived: \(child.processIDs)")
            let job = try sandbox.jobRecord(try sandbox.latestJobID())
            #expect(job["status"] as? String == "timed-out", "\(job)")
        }
    }
}
