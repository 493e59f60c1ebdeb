import SecretStore

/// What every reader of one spec file shares: the list problems go to, where the file is (to resolve relative
/// directories and name unnamed jobs), and the workspace that bare secret names take.
struct SpecReadingContext {
    /// Where problems go; shared by reference, so nested readers all add to one list.
    let problems: SpecProblemList
    /// The spec file's absolute path.
    let sourcePath: String
    /// The directory relative working directories start from: the spec file's own.
    let directory: String
    /// The workspace of bare secret names; `default` until the spec sets another.
    var workspace: WorkspaceName = .default

    /// A context for the spec at `path` (relative to the current directory, or absolute).
    init(path: String, problems: SpecProblemList) {
        self.problems = problems
        self.sourcePath = SpecPath.absolute(path)
        self.directory = SpecPath.directory(of: sourcePath)
    }

    /// This context with bare secret names taking the workspace named by `entry` (when it is valid).
    func withWorkspace(from entry: SpecMapping.Entry?) -> SpecReadingContext {
        guard let entry, let workspace = workspace(entry) else { return self }
        var scoped = self
        scoped.workspace = workspace
        return scoped
    }
}
