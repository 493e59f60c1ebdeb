/// A failure a command reports itself: one line for standard error and the exit code it documents.
struct CommandError: Error {
    /// The line printed after `error: `.
    let message: String
    /// The process's exit code.
    let exitCode: Int32

    /// Nothing matches what the user named (exit 3).
    static func notFound(_ message: String) -> CommandError { CommandError(message: message, exitCode: 3) }
}
