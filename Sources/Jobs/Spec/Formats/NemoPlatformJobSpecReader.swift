import Yams

/// Reads the NeMo Platform job spec shape, so that platform specs run here unchanged: an optional `name` (else
/// the file's base name) and `steps` read by ``NemoPlatformStepReader``.
struct NemoPlatformJobSpecReader {
    /// The keys a platform job spec may have; `workspace` is this runner's addition for bare secret names.
    static let jobKeys = ["name", "workspace", "steps"]
    /// Shared state of this file's readers.
    let context: SpecReadingContext

    private var problems: SpecProblemList { context.problems }

    /// The job in `root`, or `nil` when anything was wrong. A job without `name` is named after its file.
    func read(_ root: Node) -> JobSpec? {
        guard
            let job = SpecMapping(
                root, at: .root, allowedKeys: Self.jobKeys, expecting: "a job spec (a mapping with steps)", problems: problems)
        else { return nil }
        let name: String?
        if let entry = job.value("name") {
            name = context.name(entry, kind: "job name")
        } else {
            name = nameFromFile()
        }
        let scoped = context.withWorkspace(from: job.value("workspace"))
        let steps = scoped.steps(
            of: job,
            hint:
                "list them, e.g. \"steps\": [{\"name\": \"train\", \"executor\": {\"provider\": \"subprocess\", \"command\": [\"python3\", \"train.py\"]}}]",
            reader: NemoPlatformStepReader(context: scoped))
        guard let name, let steps, problems.isEmpty else { return nil }
        return JobSpec(name: name, workspace: scoped.workspace, steps: steps, sourcePath: context.sourcePath)
    }

    /// The job name taken from the spec's file name, or `nil` with a problem when the file name is not a valid one.
    private func nameFromFile() -> String? {
        let baseName = SpecPath.baseName(of: context.sourcePath)
        guard JobNameRule.problem(with: baseName, kind: "job name") == nil else {
            problems.report(
                "the job has no name and its file name '\(baseName.escapedForSpecMessage)' is not a valid job name; "
                    + "add \"name\": \"my-job\" (1 to \(JobNameRule.maximumLength) letters, digits, '.', '_' or '-')",
                line: nil, at: SpecKeyPath.root.appending("name"))
            return nil
        }
        return baseName
    }
}
