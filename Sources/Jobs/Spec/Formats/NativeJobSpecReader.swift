import Yams

/// Reads the runner's own spec format: `name`, `workspace`, `integrations` and `steps`, each step with `run`,
/// `env`, `files`, `working_dir` and `timeout_seconds`, or a built-in step under `uses` and `with`.
struct NativeJobSpecReader {
    /// The keys a job spec may have.
    static let jobKeys = ["name", "workspace", "integrations", "steps"]

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
        let integrations = job.value("integrations").map { IntegrationsReader(context: scoped).read($0) } ?? JobIntegrations()
        if let steps, let stepsEntry = job.value("steps") {
            IntegrationConflicts(integrations: integrations, problems: problems).check(steps, at: stepsEntry.path)
        }
        guard let name, let steps, problems.isEmpty else { return nil }
        return JobSpec(
            name: name, workspace: scoped.workspace, integrations: integrations, steps: steps, sourcePath: context.sourcePath)
    }
}
