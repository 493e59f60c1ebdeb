import Foundation

/// A Python job step that a test drives through files: it says it is running by writing a readiness file, ends
/// when a release file appears, and notes every SIGTERM, SIGINT and SIGHUP it receives.
///
/// Tests wait for these files instead of sleeping, so they do not depend on how fast the machine is. Its argv
/// carries a unique marker, so the test can find the job among the machine's processes.
struct ControlledChild {
    /// What the child does when it receives a forwarded signal, after noting it.
    enum SignalHandling: String {
        /// Exit with 128 + the signal number.
        case exit
        /// Restore the default action and send itself the signal again, so it dies of it.
        case reraise
        /// Keep running (a child that ignores SIGTERM).
        case ignore
    }

    /// The file the child writes once it runs: JSON with its pid (as it sees it) and its secrets directory.
    let readyFile: String
    /// The file whose creation lets the child finish with exit status 0.
    let releaseFile: String
    /// The file listing the signal numbers it received, one per line.
    let signalsFile: String
    /// A unique argument that identifies the child's process.
    let marker: String
    /// The command that runs it.
    let argv: [String]

    /// A child whose script lives in `sandbox`; `prelude` is Python run before it says it is ready.
    init(in sandbox: Sandbox, handling: SignalHandling = .exit, prelude: String = "") throws {
        let id = UUID().uuidString.prefix(8)
        readyFile = sandbox.path("ready-\(id).json")
        releaseFile = sandbox.path("release-\(id)")
        signalsFile = sandbox.path("signals-\(id)")
        marker = "controlled-child-\(UUID().uuidString)"
        let script = try sandbox.file("controlled-child-\(id).py", Self.script(prelude: prelude))
        argv = ["python3", script, readyFile, releaseFile, signalsFile, handling.rawValue, marker]
    }

    /// Waits until the child is running and returns what it wrote, or nil when it never did (within the limit).
    func waitUntilReady(unlessEnded runner: ChildProcess? = nil) -> [String: Any]? {
        var state: [String: Any]?
        _ = eventually {
            if let data = FileManager.default.contents(atPath: readyFile) {
                state = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            }
            return state != nil || runner?.isRunning == false
        }
        return state
    }

    /// Lets the child finish.
    func release() {
        _ = FileManager.default.createFile(atPath: releaseFile, contents: Data())
    }

    /// The signals the child received so far, in order.
    var receivedSignals: [Int32] {
        let text = (try? String(contentsOfFile: signalsFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// The live processes running the child's script (the job itself, not the runner).
    var processIDs: [Int32] {
        ProcessTable.processIDs(withArgument: marker).filter { ProcessTable.arguments(of: $0)?.first?.contains("python") == true }
    }

    private static func script(prelude: String) -> String {
        """
        import json, os, signal, sys, time

        ready, release, signals_path, handling = sys.argv[1:5]

        def on_signal(number, frame):
            with open(signals_path, "a") as noted:
                noted.write(f"{number}\\n")
            if handling == "exit":
                os._exit(128 + number)
            if handling == "reraise":
                signal.signal(number, signal.SIG_DFL)
                os.kill(os.getpid(), number)

        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, on_signal)

        \(prelude.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n"))

        secrets_dir = os.environ.get("JOBRUNNER_SECRETS_DIR")
        state = {"pid": os.getpid(), "secrets_dir": secrets_dir, "files": sorted(os.listdir(secrets_dir)) if secrets_dir else []}
        with open(ready + ".tmp", "w") as out:
            json.dump(state, out)
        os.rename(ready + ".tmp", ready)
        while not os.path.exists(release):
            time.sleep(0.05)
        print("released", flush=True)

        """
    }
}
