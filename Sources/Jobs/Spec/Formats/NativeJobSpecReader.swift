import Yams

/// Reads the runner's own spec format: `name`, `workspace` and `steps`, each step with `run`, `env`, `files`,
/// `working_dir` and `timeout_seconds`.
///
/// New top-level keys (such as `integrations`) are added to ``jobKeys`` and read in ``read(_:)``.
struct NativeJobSpecReader {
    /// The keys a job spec may have.
    static let jobKeys = ["name", "workspace", "steps"]

    /// Shared state of this file's readers.
    let context: SpecReadingContext

    /// The job in `root`, or `nil` when anything was wrong (the problems are in the context's list).
    func read(_ root: Node) -> JobSpec? {
        let problems = context.problems
        guard
            let job = SpecMapping(
                root, at: .root, allowedKeys: Self.jobKeys, expecting: "a job spec (a mapping with name and steps)", problems: problems)
        else { return nil }
        let name = job.required("name", hint: "give the job a name, e.g. name: demo", problems: problems).flatMap {
            context.name($0, kind: "job name")
        }
        let scoped = context.withWorkspace(from: job.value("workspace"))
        let steps = scoped.steps(
            of: job, hint: "list them, e.g. steps: [{ name: train, run: [python3, train.py] }]",
            reader: NativeStepReader(context: scoped))
        guard let name, let steps, problems.isEmpty else { return nil }
        return JobSpec(name: name, workspace: scoped.workspace, steps: steps, sourcePath: context.sourcePath)
    }
}
