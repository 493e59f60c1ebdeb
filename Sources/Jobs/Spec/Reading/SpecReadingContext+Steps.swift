import Yams

/// What reading one step gave: its name as soon as that was valid (so that repeated names are found even in
/// steps with other problems), and the whole step when nothing was wrong.
struct StepReading {
    /// The step's valid name and the line it is on.
    var name: (text: String, line: Int?)?
    /// The step, when it had no problem at all.
    var step: StepSpec?
}

/// Reads one step in the shape of one spec format.
protocol SpecStepReader {
    /// The step in `node`, which sits at `path`.
    func read(_ node: Node, at path: SpecKeyPath) -> StepReading
}

extension SpecReadingContext {
    /// The steps under `steps` of `job`: a non-empty list, each item read by `reader`, with repeated step names
    /// reported. `nil` when anything was wrong.
    func steps(of job: SpecMapping, hint: String, reader: some SpecStepReader) -> [StepSpec]? {
        guard let entry = job.required("steps", hint: hint, problems: problems) else { return nil }
        guard case let .sequence(items) = entry.value else {
            problems.report("expected a list of steps, found \(entry.value.kindDescription); \(hint)", line: entry.line, at: entry.path)
            return nil
        }
        guard !items.isEmpty else {
            problems.report("the job has no steps; \(hint)", line: entry.line, at: entry.path)
            return nil
        }
        var names = SpecNameClaims()
        var steps: [StepSpec] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let path = entry.path.appending(index: index)
            let reading = reader.read(item, at: path)
            if let name = reading.name, case let .taken(firstLine) = names.claim(name.text, line: name.line) {
                let earlier = firstLine.map { " on line \($0)" } ?? ""
                problems.report(
                    "duplicate step name '\(name.text)': a step\(earlier) already has it; step names are unique within a job",
                    line: name.line, at: path.appending("name"))
                valid = false
            }
            if let step = reading.step { steps.append(step) } else { valid = false }
        }
        return valid ? steps : nil
    }
}
