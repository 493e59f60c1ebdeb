/// A failure a command reports itself: one line for standard error and the exit code it documents.
struct CommandError: Error {
    /// The line printed after `error: `.
    let message: String
    /// The process's exit code.
    let exitCode: Int32

    /// Nothing matches what the user named (exit 3).
    static func notFound(_ message: String) -> CommandError { CommandError(message: message, exitCode: 3) }

    /// No run with the id the user typed is recorded in this data directory (exit 3).
    static func jobNotFound(_ job: String) -> CommandError {
        notFound("no job '\(job)' is recorded here; 'jobrunner jobs list' shows the recent ones")
    }
}
