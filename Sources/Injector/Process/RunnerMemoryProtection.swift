import CLauncher

/// Keeps other processes of the same user, the runner's own jobs included, from reading the runner's memory while
/// it holds resolved secrets (`/proc/PID/mem`, `ptrace`, core dumps).
public enum RunnerMemoryProtection {
    /// Makes this process not dumpable; returns the errno when the kernel refused (the runner goes on, less protected).
    @discardableResult
    public static func enable() -> Int32 {
        cl_protect_runner_memory()
    }
}
