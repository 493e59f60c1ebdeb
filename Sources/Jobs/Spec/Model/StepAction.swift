/// What a step does: run a command, or one of the runner's built-in steps (`uses:`).
public enum StepAction: Sendable, Equatable {
    /// Starts the program and arguments (`run:`), without a shell.
    case run([String])
    /// `uses: huggingface/download`.
    case huggingFaceDownload(HuggingFaceDownloadStep)
    /// `uses: huggingface/upload`.
    case huggingFaceUpload(HuggingFaceUploadStep)

    /// The names `uses:` accepts, as a spec writes them.
    public static let builtInNames = ["huggingface/download", "huggingface/upload"]

    /// How the step is shown in progress lines: the program, or the built-in step's name.
    public var summary: String {
        switch self {
        case let .run(command): command.first ?? ""
        case .huggingFaceDownload: "huggingface/download"
        case .huggingFaceUpload: "huggingface/upload"
        }
    }
}
