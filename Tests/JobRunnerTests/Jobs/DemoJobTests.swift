import Foundation
import Testing

/// The example in `jobs/` runs as the README says: with its two secrets created, `jobrunner run jobs/demo.yaml`
/// succeeds and shows **** wherever it prints them.
@Suite("example jobs")
struct DemoJobTests {
    /// The repository's `jobs` directory, found from this file's place in the tree.
    static let jobsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("jobs")

    @Test("jobs/demo.yaml runs to exit 0 with both secrets masked in the output and the log")
    func demoJobRuns() throws {
        try SecretDirectoryGate.shared {
            let sandbox = try Sandbox(key: TestKey(name: "v1"))
            let token = "hf_demo\(randomHex(24))"
            let wandbKey = randomHex(40)
            try sandbox.createSecret("hf-token", value: token)
            try sandbox.createSecret("wandb-key", value: wandbKey)
            let spec = Self.jobsDirectory.appendingPathComponent("demo.yaml").path
            try #require(FileManager.default.fileExists(atPath: spec), "no demo spec at \(spec)")

            let result = try sandbox.run(["run", spec])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.output.contains("****"), "\(result)")
            #expect(result.output.contains("training done"), "\(result)")
            #expect(result.output.contains("runner credentials visible to the child: none"), "\(result)")
            for value in [token, wandbKey] {
                #expect(LeakTests.Forbidden(value).found(in: result.stdout + result.stderr).isEmpty, "\(result)")
            }
            // The demo prints short hashes to prove the child saw the values.
            #expect(result.output.contains(String(sha256Hex(token).prefix(16))), "\(result)")
            #expect(result.output.contains(String(sha256Hex(wandbKey).prefix(16))), "\(result)")
            let job = try sandbox.latestJobID()
            #expect(try sandbox.stepStatuses(job) == ["succeeded", "succeeded"])
            let log = try Data(contentsOf: sandbox.dataDirectory.appendingPathComponent("logs/\(job).jsonl"))
            for value in [token, wandbKey] {
                #expect(LeakTests.Forbidden(value).found(in: log).isEmpty)
            }
        }
    }
}
