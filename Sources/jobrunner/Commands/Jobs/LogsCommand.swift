import ArgumentParser
import Foundation
import Jobs

/// `jobrunner logs JOB`: a run's masked output, optionally followed while the run goes on.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the (masked) output of a job run, optionally following it live.",
        discussion: """
            Logs are JSON lines in DATA_DIR/logs/JOB.jsonl with the fields timestamp, job, step, stream and \
            message; secret values were already replaced by **** when the runner wrote them.

              jobrunner logs job-20261128-170512-a1b2c3 --step train --follow
              jobrunner logs job-20261128-170512-a1b2c3 --output json | jq -r .message
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The job id, as 'jobs list' prints it.", valueName: "job"))
    var job: String

    @Option(help: ArgumentHelp("Only the lines of this step.", valueName: "name"))
    var step: String?

    @Flag(help: "Keep printing new lines until the run finishes.")
    var follow = false

    @Option(help: "'text' prints '[step] line' ('[step:stderr]', '[step:runner]' for other streams); 'json' the stored lines.")
    var output: LogFormat = .text

    func run() async throws {
        let records = try store.openRecords()
        let id = JobID(rawValue: job)
        guard try records.job(id) != nil else {
            throw CommandError.jobNotFound(job)
        }
        let path = JobLog.path(for: id, dataDirectory: try store.settings().dataDirectory)
        var offset = 0
        while true {
            let finished = try records.job(id)?.status.isFinished ?? true
            if let data = FileManager.default.contents(atPath: path), data.count > offset {
                let (entries, consumed) = JobLog.entries(in: data[offset...])
                offset += consumed
                for entry in entries where step == nil || entry.step == step { print(render(entry)) }
                // Lines must reach a pipe (`logs --follow | jq`) as they come, not when the buffer fills.
                fflush(nil)
            }
            if !follow || finished { break }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func render(_ entry: JobLogEntry) -> String {
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(entry)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        case .text:
            let label = entry.stream == "stdout" ? entry.step : "\(entry.step):\(entry.stream)"
            return "[\(label)] \(entry.message)"
        }
    }
}

/// How `jobrunner logs` prints lines.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
