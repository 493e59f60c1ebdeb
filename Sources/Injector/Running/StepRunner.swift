import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one injected step: reserves its secrets directory, launches the child, copies its output through maskers,
/// forwards the runner's signals, enforces the time limit, and removes the secrets on every path.
public enum StepRunner {
    /// Whether this process has already said that it fell back to `/dev/shm` (said once, not per step).
    private static let fallbackReported = Atomic<Bool>(false)

    /// How long output may keep flowing after the child exits, from processes it left behind in fallback mode,
    /// before the runner stops copying.
    static let outputDrainLimit: Duration = .seconds(2)

    /// Runs `injection` to the end, writing masked output to `output` and runner notes (warnings, the fallback)
    /// through `note`. Throws ``LaunchError`` when the child could not start; nothing is left behind then.
    public static func run(
        _ injection: StepInjection, output: any StepOutputSink, relay: SignalRelay,
        note: @escaping @Sendable (String) -> Void
    ) async throws -> StepOutcome {
        let warnings = OutputMasker.unmaskedShortSecretWarnings(
            for: injection.maskedSecrets, minimumLength: injection.maskingMinimumLength)
        for warning in warnings { note("warning: \(warning)") }

        var environment = injection.environment
        var directory: TmpfsSecretDirectory?
        if !injection.secretFiles.isEmpty {
            let reserved = try TmpfsSecretDirectory.reserve()
            directory = reserved
            environment.append((StepInjection.secretsDirectoryVariable, reserved.path))
            for (variable, fileName) in injection.fileVariables {
                environment.append((variable, reserved.path + "/" + fileName))
            }
        }
        let child = try ChildLauncher.launch(
            LaunchRequest(
                argv: injection.argv, environment: environment, secretEnvironment: injection.secretVariables,
                workingDirectory: injection.workingDirectory, secretFiles: injection.secretFiles,
                secretsDirectory: directory, isolation: injection.isolation,
                output: injection.pseudoTerminals ? .pseudoTerminals : .pipes))
        if case let .sharedMemory(reason) = child.isolation, injection.isolation == .automatic,
            !fallbackReported.exchange(true, ordering: .relaxed)
        {
            note("no private namespace for secret files (\(reason)); using /dev/shm, removed after each step")
        }

        // Built while the child starts up: nothing it prints is read before the pumps start below, and until
        // then its output waits in the pipe or terminal.
        var maskers: [ChildStream: OutputMasker] = [:]
        if !injection.maskedSecrets.isEmpty {
            let stdout = OutputMasker(secrets: injection.maskedSecrets, minimumLength: injection.maskingMinimumLength)
            maskers[.stdout] = stdout
            maskers[.stderr] = OutputMasker(sameSecretsAs: stdout)
        }
        let pumps = [(ChildStream.stdout, child.stdout), (.stderr, child.stderr)].map { stream, descriptor in
            OutputPump(descriptor: descriptor, stream: stream, masker: maskers[stream], sink: output)
        }
        pumps.forEach { $0.start() }
        relay.forward { child.send($0) }
        let windowChanges = injection.pseudoTerminals ? WindowSizeRelay(child: child) : nil

        let timedOut = TimeLimitFlag()
        let limit = injection.timeout.map { timeout in
            Task {
                try await Task.sleep(for: timeout)
                timedOut.fired.store(true, ordering: .relaxed)
                child.send(SIGTERM)
                try await Task.sleep(for: injection.killGrace)
                child.send(SIGKILL)
            }
        }

        let exit = await child.waitForExit()
        limit?.cancel()
        relay.stopForwarding()
        windowChanges?.cancel()
        await drain(pumps)
        do {
            try child.removeSecretsDirectory()
        } catch {
            note("warning: could not remove the secrets directory \(child.secretsDirectory ?? "?"): \(error)")
        }
        let isolation = if case .namespace = child.isolation { "namespace" } else { "shared-memory" }
        return StepOutcome(exit: exit, timedOut: timedOut.fired.load(ordering: .relaxed), isolation: isolation)
    }

    /// Waits for the pumps to reach end of file, but not forever: after ``outputDrainLimit`` they are stopped.
    private static func drain(_ pumps: [OutputPump]) async {
        let stopper = Task {
            try await Task.sleep(for: outputDrainLimit)
            pumps.forEach { $0.stop() }
        }
        for pump in pumps { await pump.waitUntilFinished() }
        stopper.cancel()
    }
}

/// Set when a step's time limit fired, shared with the task that enforces it.
private final class TimeLimitFlag: Sendable {
    let fired = Atomic<Bool>(false)
}

/// Passes the runner's terminal size changes (SIGWINCH) on to a child's pseudo-terminals while it runs.
private final class WindowSizeRelay: Sendable {
    nonisolated(unsafe) private let source: any DispatchSourceSignal

    init(child: LaunchedChild) {
        signal(SIGWINCH, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler { child.copyRunnerWindowSize() }
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
