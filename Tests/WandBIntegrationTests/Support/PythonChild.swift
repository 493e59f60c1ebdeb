import Foundation

/// Runs `python3 -c code args...` with extra environment variables and returns its exit status and stdout, the
/// way a job's trainer (or the reference reporter) runs next to the runner.
enum PythonChild {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ code: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// A trainer that appends `rows` (JSON objects) to `$JOBRUNNER_METRICS`, one `write` per line.
    static let trainer = """
        import json, os, sys
        rows = json.loads(sys.argv[1])
        with open(os.environ["JOBRUNNER_METRICS"], "a") as f:
            for row in rows:
                f.write(json.dumps(row) + "\\n")
        """

    /// A trainer that appends `N` rows in `CHUNKS` bursts spread over `SECONDS`, then prints the time its write
    /// calls took in total.
    static let pacedTrainer = """
        import json, os, sys, time
        n, chunks, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        path = os.environ["JOBRUNNER_METRICS"]
        per_chunk = n // chunks
        spent = 0.0
        step = 0
        with open(path, "a") as f:
            for c in range(chunks):
                t = time.perf_counter()
                for _ in range(per_chunk):
                    f.write(json.dumps({"step": step, "train_loss": 1.0 / (step + 1), "val_loss": 0.5}) + "\\n")
                    step += 1
                f.flush()
                spent += time.perf_counter() - t
                if seconds > 0:
                    time.sleep(seconds / chunks)
        print(json.dumps({"rows": step, "write_seconds": spent}))
        """
}
