import Foundation
import Injector
import Jobs
import SecretStore
import Testing

/// The runner's records: runs, steps and audit records survive a reopen, and a run whose runner died reads as
/// abandoned rather than running forever.
struct JobRecordStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString)").path

    @Test func runsStepsAndAuditRecordsRoundTrip() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = try JobRecordStore(dataDirectory: directory)
        let id = JobID.generate()
        let steps = [StepRecord(position: 0, name: "a", status: .pending), StepRecord(position: 1, name: "b", status: .pending)]
        try records.begin(
            JobRecord(
                id: id, name: "demo", specPath: "/x/demo.yaml", workspace: "default", owner: "alice", status: .running,
                startedAt: .now(), steps: steps),
            runner: .current)
        var first = steps[0]
        first.status = .succeeded
        first.exitStatus = 0
        first.startedAt = .now()
        first.finishedAt = .now()
        first.isolation = "namespace"
        try records.update(first, of: id)
        try records.append([
            AuditRecord(
                time: .now(), job: id, step: "a", reference: "default/hf-token", principal: "embedded-store",
                outcome: "granted", reason: nil)
        ])
        try records.finish(id, status: .failed, exitStatus: 3, message: "step b: exit status 3")

        let reopened = try JobRecordStore(dataDirectory: directory)
        let job = try #require(try reopened.job(id))
        #expect(job.status == .failed)
        #expect(job.exitStatus == 3)
        #expect(job.owner == "alice")
        #expect(job.steps.map(\.status) == [.succeeded, .pending])
        #expect(job.steps[0].isolation == "namespace")
        #expect(try reopened.recentJobs().map(\.id) == [id])
        let audit = try reopened.auditRecords(job: id)
        #expect(audit.map(\.reference) == ["default/hf-token"])
        #expect(audit.first?.outcome == "granted")
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/jobs.sqlite")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aRunWhoseRunnerIsGoneReadsAsAbandoned() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = try JobRecordStore(dataDirectory: directory)
        let id = JobID.generate()
        // A runner identity that cannot be alive: this pid with a start time it never had.
        let gone = RunnerIdentity(pid: getpid(), startTime: RunnerIdentity.current.startTime + 1)
        try records.begin(
            JobRecord(
                id: id, name: "lost", specPath: nil, workspace: "default", owner: nil, status: .running,
                startedAt: .now(), steps: [StepRecord(position: 0, name: "s", status: .running)]),
            runner: gone)
        let job = try #require(try records.job(id))
        #expect(job.status == .abandoned)
        #expect(job.steps.first?.status == .abandoned)

        let live = JobID.generate()
        try records.begin(
            JobRecord(
                id: live, name: "live", specPath: nil, workspace: "default", owner: nil, status: .running,
                startedAt: .now(), steps: []),
            runner: .current)
        #expect(try records.job(live)?.status == .running)
    }

    @Test func jobIDsAreUniqueAndSafeForFileNamesAndWandB() {
        let ids = (0..<200).map { _ in JobID.generate().rawValue }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.range(of: #"^job-\d{8}-\d{6}-[0-9a-f]{6}$"#, options: .regularExpression) != nil)
        }
    }

    @Test func jobIDsCarryTheStartInUTC() {
        // 2026-03-04 05:06:07.9 UTC: zero-padded fields, seconds rounded down.
        let id = JobID.generate(now: Date(timeIntervalSince1970: 1_772_600_767.9)).rawValue
        #expect(id.hasPrefix("job-20260304-050607-"), "\(id)")
    }
}
