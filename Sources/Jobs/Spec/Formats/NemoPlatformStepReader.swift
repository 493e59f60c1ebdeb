import Yams

/// Reads one step of the NeMo Platform job spec shape: an `executor` (`provider: subprocess` and a `command`) and
/// an `environment` list of `{name, value}` or `{name, from_secret: {name}}`.
///
/// Only local processes are supported; container executors are refused with a message that says so.
struct NemoPlatformStepReader: SpecStepReader {
    /// The keys of a step.
    static let stepKeys = ["name", "executor", "environment"]
    /// The keys of an executor.
    static let executorKeys = ["provider", "command", "working_dir"]
    /// The keys of container executors, recognized only to refuse them clearly.
    static let containerExecutorKeys = ["image"]
    /// The keys of one `environment` item.
    static let variableKeys = ["name", "value", "from_secret"]
    /// The keys of `from_secret`.
    static let secretSourceKeys = ["name"]
    /// The one executor provider this runner supports.
    static let localProvider = "subprocess"

    /// Shared state of this file's readers.
    let context: SpecReadingContext

    private var problems: SpecProblemList { context.problems }

    /// One step: its name, executor and environment.
    func read(_ node: Node, at path: SpecKeyPath) -> StepReading {
        guard
            let step = SpecMapping(
                node, at: path, allowedKeys: Self.stepKeys, expecting: "a step (a mapping with name and executor)", problems: problems)
        else { return StepReading() }
        let problemsBefore = problems.problems.count
        let nameEntry = step.required("name", hint: "give the step a name unique in the job, e.g. \"name\": \"train\"", problems: problems)
        let name = nameEntry.flatMap { context.name($0, kind: "step name") }
        let process = step.required(
            "executor", hint: "write \"executor\": {\"provider\": \"subprocess\", \"command\": [\"python3\", \"train.py\"]}",
            problems: problems
        ).flatMap { readExecutor($0) }
        let environment = step.value("environment").map { readEnvironment($0) } ?? []

        var reading = StepReading()
        if let name { reading.name = (name, nameEntry?.line) }
        guard problems.problems.count == problemsBefore, let name, let process else { return reading }
        reading.step = StepSpec(
            name: name, command: process.command, workingDirectory: process.workingDirectory, environment: environment,
            line: step.line ?? 1)
        return reading
    }

    /// The command and working directory of a `subprocess` executor; any other provider, or an `image`, is refused.
    private func readExecutor(_ entry: SpecMapping.Entry) -> (command: [String], workingDirectory: String)? {
        guard
            let executor = SpecMapping(
                entry.value, at: entry.path, allowedKeys: Self.executorKeys, refusedKeys: Self.containerExecutorKeys,
                expecting: "an executor (a mapping with provider and command)", problems: problems)
        else { return nil }
        let refusal = "this runner starts local processes; use provider: \(Self.localProvider) with a command"
        var isContainer = false
        if let provider = executor.required("provider", hint: "write \"provider\": \"\(Self.localProvider)\"", problems: problems),
            let text = context.text(provider, expecting: "a provider name"), text != Self.localProvider
        {
            problems.report("provider '\(text.escapedForSpecMessage)' is not supported here: \(refusal)", line: provider.line, at: provider.path)
            isContainer = true
        }
        if let image = executor.entry("image") {
            problems.report("container images are not supported here: \(refusal)", line: image.keyLine, at: image.path)
            isContainer = true
        }
        guard !isContainer else { return nil }
        let command = executor.required(
            "command", hint: "give the command as a list, e.g. \"command\": [\"python3\", \"train.py\"]", problems: problems
        ).flatMap { context.command($0, key: "command") }
        let workingDirectory: String? =
            if let entry = executor.value("working_dir") { context.workingDirectory(entry) } else { context.directory }
        guard let command, let workingDirectory else { return nil }
        return (command, workingDirectory)
    }

    /// The `environment` list: each item `{name, value}` or `{name, from_secret: {name: ref}}`.
    private func readEnvironment(_ entry: SpecMapping.Entry) -> [EnvironmentBinding] {
        guard case let .sequence(items) = entry.value else {
            problems.report(
                "expected a list of {\"name\", \"value\"} or {\"name\", \"from_secret\"} items, found \(entry.value.kindDescription)",
                line: entry.line, at: entry.path)
            return []
        }
        var names = StepEnvironmentNames()
        var bindings: [EnvironmentBinding] = []
        for (index, item) in items.enumerated() {
            let path = entry.path.appending(index: index)
            guard
                let variable = SpecMapping(
                    item, at: path, allowedKeys: Self.variableKeys, expecting: "{\"name\", \"value\"} or {\"name\", \"from_secret\"}",
                    problems: problems)
            else { continue }
            var name: String?
            if let nameEntry = variable.required("name", hint: "write \"name\": \"VARIABLE_NAME\"", problems: problems),
                let text = context.text(nameEntry, expecting: "an environment variable name"),
                names.claim(text, line: nameEntry.line, at: nameEntry.path, problems: problems)
            {
                name = text
            }
            let source = readSource(variable)
            if let name, let source {
                bindings.append(EnvironmentBinding(name: name, source: source))
            }
        }
        return bindings
    }

    /// Where one item's value comes from: `value` (plain text) or `from_secret` (a reference), exactly one.
    private func readSource(_ variable: SpecMapping) -> EnvironmentBinding.Source? {
        switch (variable.entry("value"), variable.entry("from_secret")) {
        case (.some, .some):
            problems.report("give either value or from_secret, not both", line: variable.line, at: variable.path)
            return nil
        case let (value?, nil):
            return context.literal(value).map { .literal($0) }
        case let (nil, secret?):
            guard
                let source = SpecMapping(
                    secret.value, at: secret.path, allowedKeys: Self.secretSourceKeys, expecting: "{\"name\": \"workspace/secret_name\"}",
                    problems: problems),
                let reference = source.required("name", hint: "write \"name\": \"workspace/secret_name\"", problems: problems)
            else { return nil }
            return context.reference(reference).map { .secret($0) }
        case (nil, nil):
            problems.report(
                "the variable has neither value nor from_secret; write \"value\": \"...\" or \"from_secret\": {\"name\": \"workspace/secret_name\"}",
                line: variable.line, at: variable.path)
            return nil
        }
    }
}
