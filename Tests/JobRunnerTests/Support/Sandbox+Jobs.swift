import Foundation
import Testing

/// What the job tests do in a sandbox besides running commands: create the secrets a job reads, write its spec,
/// and read back what the runner recorded through the read-only commands a user has.
extension Sandbox {
    /// The path of `name` inside the sandbox, whether or not it exists yet.
    func path(_ name: String) -> String {
        root.appendingPathComponent(name).path
    }

    /// Creates secret `reference` (`name` or `workspace/name`) holding `value`, piped in so it never reaches argv.
    func createSecret(_ reference: String, value: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try succeed(
            ["secrets", "create", reference, "--from-file", "-"], stdin: Data(value.utf8), sourceLocation: sourceLocation)
    }

    /// Creates workspace `name`.
    func createWorkspace(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try succeed(["workspaces", "create", name], sourceLocation: sourceLocation)
    }

    /// Writes a job spec into the sandbox and returns its path.
    func writeSpec(_ yaml: String, named name: String = "job.yaml") throws -> String {
        try file(name, yaml)
    }

    /// The recorded runs, newest first, as `jobs list --output json` prints them.
    func jobList() throws -> [[String: Any]] {
        try succeed(["jobs", "list", "--output", "json"]).jsonArray()
    }

    /// The id of the most recent run.
    func latestJobID() throws -> String {
        let jobs = try jobList()
        return try #require(jobs.first?["id"] as? String, "no job recorded: \(jobs)")
    }

    /// One run with its steps, as `jobs show JOB --output json` prints it.
    func jobRecord(_ job: String) throws -> [String: Any] {
        try succeed(["jobs", "show", job, "--output", "json"]).jsonObject()
    }

    /// The statuses of a run's steps, in order.
    func stepStatuses(_ job: String) throws -> [String] {
        let steps = try #require(try jobRecord(job)["steps"] as? [[String: Any]])
        return steps.map { $0["status"] as? String ?? "?" }
    }

    /// A run's log lines, as `logs JOB --output json` prints them.
    func logEntries(_ job: String, step: String? = nil) throws -> [[String: Any]] {
        try succeed(["logs", job, "--output", "json"] + (step.map { ["--step", $0] } ?? [])).jsonLines()
    }

    /// The audit records of one run, or of all, as `audit --output json` prints them.
    func auditRecords(job: String? = nil) throws -> [[String: Any]] {
        try succeed(["audit", "--output", "json"] + (job.map { ["--job", $0] } ?? [])).jsonArray()
    }
}

extension CommandResult {
    /// Parses standard output as one JSON array of objects.
    func jsonArray() throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: stdout) as? [[String: Any]] else {
            throw ChildProcessError("stdout of \(arguments) is not a JSON array of objects: \(output)")
        }
        return array
    }

    /// Parses standard output as JSON lines, one object per line.
    func jsonLines() throws -> [[String: Any]] {
        try stdout.split(separator: UInt8(ascii: "\n")).map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw ChildProcessError("a line of \(arguments) is not a JSON object: \(output)")
            }
            return object
        }
    }
}

/// `items` as a YAML flow sequence (JSON is valid YAML), for argv in a spec: quoting is never in doubt.
func yamlList(_ items: [String]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: items, options: [.withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

/// `text` as a YAML double-quoted scalar.
func yamlString(_ text: String) -> String {
    String(yamlList([text]).dropFirst().dropLast())
}
