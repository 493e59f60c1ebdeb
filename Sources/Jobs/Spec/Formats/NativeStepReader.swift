import Yams

/// Reads one step of the runner's own format: a command under `run`, with literal and secret variables under
/// `env` and secret files under `files`; or a built-in step under `uses`, with its settings under `with`.
struct NativeStepReader: SpecStepReader {
    /// The keys a step may have.
    static let stepKeys = ["name", "run", "uses", "with", "working_dir", "env", "files", "timeout_seconds"]
    /// The keys that only a command step has.
    static let commandOnlyKeys = ["run", "working_dir", "env", "files"]
    /// The keys of one `env` entry: exactly one of them.
    static let variableKeys = ["secret", "value"]
    /// The keys of one `files` entry.
    static let fileKeys = ["secret", "env"]

    /// Shared state of this file's readers.
    let context: SpecReadingContext

    private var problems: SpecProblemList { context.problems }

    /// The step in `node` at `path`.
    func read(_ node: Node, at path: SpecKeyPath) -> StepReading {
        guard
            let step = SpecMapping(
                node, at: path, allowedKeys: Self.stepKeys, expecting: "a step (a mapping with name and run)", problems: problems)
        else { return StepReading() }
        let problemsBefore = problems.problems.count
        let nameEntry = step.required("name", hint: "give the step a name unique in the job, e.g. name: train", problems: problems)
        let name = nameEntry.flatMap { context.name($0, kind: "step name") }
        let action = readAction(step)
        let workingDirectory: String? =
            if let entry = step.value("working_dir") { context.workingDirectory(entry) } else { context.directory }
        let timeout = step.value("timeout_seconds").flatMap { context.timeout($0) }
        var variableNames = StepEnvironmentNames()
        let environment = step.value("env").map { readEnvironment($0, names: &variableNames) } ?? []
        let files = step.value("files").map { readFiles($0, names: &variableNames) } ?? []

        var reading = StepReading()
        if let name { reading.name = (name, nameEntry?.line) }
        guard problems.problems.count == problemsBefore, let name, let action, let workingDirectory else { return reading }
        reading.step = StepSpec(
            name: name, action: action, workingDirectory: workingDirectory, environment: environment, files: files,
            timeout: timeout, line: step.line ?? 1)
        return reading
    }

    /// The command under `run`, or the built-in step under `uses` (which takes none of a command's keys).
    private func readAction(_ step: SpecMapping) -> StepAction? {
        guard let uses = step.entry("uses") else {
            if let with = step.entry("with") {
                problems.report(
                    "'with' gives the settings of a built-in step, but the step has no 'uses'; add e.g. uses: huggingface/download",
                    line: with.keyLine, at: with.path)
            }
            return step.required(
                "run",
                hint: "give the command as a list, e.g. run: [python3, train.py], or use a built-in step, e.g. uses: huggingface/download",
                problems: problems
            ).flatMap { context.command($0, key: "run") }.map { .run($0) }
        }
        for key in Self.commandOnlyKeys {
            if let entry = step.entry(key) {
                problems.report(
                    "'\(key)' belongs to command steps; a built-in step (uses:) takes its settings under 'with'",
                    line: entry.keyLine, at: entry.path)
            }
        }
        return BuiltInStepReader(context: context).read(uses: uses, with: step.value("with"), in: step)
    }

    /// The variables under `env`: each `NAME: { secret: ref }` or `NAME: { value: text }`.
    private func readEnvironment(_ entry: SpecMapping.Entry, names: inout StepEnvironmentNames) -> [EnvironmentBinding] {
        guard
            let variables = SpecMapping(
                entry.value, at: entry.path, expecting: "a mapping of variable names to { secret: ... } or { value: ... }",
                problems: problems)
        else { return [] }
        var bindings: [EnvironmentBinding] = []
        for variable in variables.entries {
            let nameIsValid = names.claim(variable.key, line: variable.keyLine, at: variable.path, problems: problems)
            guard let source = readSource(variable), nameIsValid else { continue }
            bindings.append(EnvironmentBinding(name: variable.key, source: source))
        }
        return bindings
    }

    /// Where one variable's value comes from. A bare scalar is refused rather than guessed at, so that a value is
    /// never taken for a secret name or the reverse.
    private func readSource(_ variable: SpecMapping.Entry) -> EnvironmentBinding.Source? {
        let form = "write { value: \"...\" } for plain text or { secret: secret_name } for a secret"
        if case .scalar = variable.value {
            problems.report(
                "a bare value is ambiguous here; \(form), so that plain text is never taken for a secret name",
                line: variable.line, at: variable.path)
            return nil
        }
        guard
            let binding = SpecMapping(
                variable.value, at: variable.path, allowedKeys: Self.variableKeys, expecting: "{ secret: ... } or { value: ... }",
                problems: problems)
        else { return nil }
        switch (binding.entry("secret"), binding.entry("value")) {
        case (.some, .some):
            problems.report("give either secret or value, not both", line: binding.line, at: variable.path)
            return nil
        case let (secret?, nil):
            return context.reference(secret).map { .secret($0) }
        case let (nil, value?):
            return context.literal(value).map { .literal($0) }
        case (nil, nil):
            if binding.entries.isEmpty {
                problems.report("the variable has neither secret nor value; \(form)", line: binding.line, at: variable.path)
            }
            return nil
        }
    }

    /// The secret files under `files`: each `file_name: { secret: ref, env: VARIABLE }`.
    private func readFiles(_ entry: SpecMapping.Entry, names: inout StepEnvironmentNames) -> [SecretFileBinding] {
        guard
            let files = SpecMapping(
                entry.value, at: entry.path, expecting: "a mapping of file names to { secret: ... }", problems: problems)
        else { return [] }
        var bindings: [SecretFileBinding] = []
        for file in files.entries {
            var valid = true
            if let problem = SecretFileNameRule.problem(with: file.key) {
                problems.report(problem, line: file.keyLine, at: file.path)
                valid = false
            }
            guard
                let binding = SpecMapping(
                    file.value, at: file.path, allowedKeys: Self.fileKeys,
                    expecting: "{ secret: secret_name } (with env: VARIABLE to export the file's path)", problems: problems)
            else { continue }
            let reference = binding.required("secret", hint: "write secret: workspace/secret_name or secret_name", problems: problems)
                .flatMap { context.reference($0) }
            var environmentName: String?
            if let variable = binding.value("env") {
                environmentName = context.text(variable, expecting: "an environment variable name")
                if let name = environmentName, !names.claim(name, line: variable.line, at: variable.path, problems: problems) {
                    valid = false
                }
            }
            if let reference, valid {
                bindings.append(SecretFileBinding(fileName: file.key, reference: reference, environmentName: environmentName))
            }
        }
        return bindings
    }
}
