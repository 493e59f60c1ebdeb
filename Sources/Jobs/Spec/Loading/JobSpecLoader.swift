/// Reads and validates job spec files, in the runner's own format or the NeMo Platform shape, YAML or JSON.
///
/// The whole file is checked before anything runs, and every problem in it is reported at once, each with its
/// file, line and key path.
public enum JobSpecLoader {
    /// Reads the spec file at `path` (relative to the current directory, or absolute).
    ///
    /// - Throws: ``JobSpecError`` listing every problem, including a missing or non-UTF-8 file.
    public static func load(path: String) throws -> JobSpec {
        let problems = SpecProblemList(file: path)
        guard let text = SpecFileContents.read(path: path, problems: problems) else { throw problems.error() }
        return try parse(text, path: path)
    }

    /// Parses `text` as the spec file at `path`, which names the file in messages and anchors relative working
    /// directories; the file itself is not read.
    ///
    /// - Throws: ``JobSpecError`` listing every problem.
    public static func parse(_ text: String, path: String) throws -> JobSpec {
        let problems = SpecProblemList(file: path)
        let context = SpecReadingContext(path: path, problems: problems)
        guard let root = SpecDocument.compose(text, problems: problems) else {
            if problems.isEmpty {
                problems.report("the file is empty; a job spec needs at least name and steps", line: nil, at: .root)
            }
            throw problems.error()
        }
        let spec: JobSpec? =
            switch SpecShape.detect(root) {
            case .native: NativeJobSpecReader(context: context).read(root)
            case .nemoPlatform: NemoPlatformJobSpecReader(context: context).read(root)
            }
        guard let spec, problems.isEmpty else {
            if problems.isEmpty {
                problems.report("the spec could not be read", line: nil, at: .root)
            }
            throw problems.error()
        }
        return spec
    }
}
