import Foundation
import Testing

@testable import WandBIntegration

@Suite struct MetricsFileTailTests {
    @Test("only complete lines are taken; a half-written line waits for its newline") func partialLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("metrics.jsonl")
        try Data((#"{"step":0,"loss":1.0}"# + "\n" + #"{"step":1,"lo"#).utf8).write(to: URL(fileURLWithPath: path))
        let tail = MetricsFileTail(path: path)
        let first = try tail.read(from: 0)
        #expect(first.rows.map(\.json) == [#"{"step":0,"loss":1.0}"#])
        #expect(first.endOffset == 22)
        #expect(try tail.read(from: first.endOffset).isEmpty)

        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((#"ss":0.5}"# + "\n").utf8))
        try handle.close()
        let second = try tail.read(from: first.endOffset)
        #expect(second.rows.map(\.json) == [#"{"step":1,"loss":0.5}"#])
    }

    @Test("lines that are not JSON objects are counted and skipped") func malformed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("metrics.jsonl")
        let text = """
            {"step": 0}
            not json
            [1, 2]

            42
            {"step": 1, "loss": NaN, "best": -Infinity, "note": "NaN stays"}
            {"step": 2, "_step": 99, "_runtime": 5, "_timestamp": 1700000000.5}

            """
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let batch = try MetricsFileTail(path: path).read(from: 0, receivedAt: 42)
        #expect(batch.malformedLines == 3)
        #expect(batch.rows.count == 3)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(batch.rows[1].json.utf8)) as? [String: Any])
        #expect(second["loss"] as? String == "NaN")
        #expect(second["best"] as? String == "-Infinity")
        #expect(second["note"] as? String == "NaN stays")
        #expect(batch.rows[2].json == #"{"step":2}"#)
        #expect(batch.rows[2].timestamp == 1_700_000_000.5)
        #expect(batch.rows[0].timestamp == 42)
        #expect(batch.endOffset == UInt64(text.utf8.count))
    }

    @Test("a missing file reads as empty; a line longer than a batch is skipped whole") func missingAndLong() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("metrics.jsonl")
        #expect(try MetricsFileTail(path: path).read(from: 0).isEmpty)

        let long = "{\"blob\":\"" + String(repeating: "x", count: 5000) + "\"}\n"
        try (long + "{\"step\":1}\n").write(toFile: path, atomically: false, encoding: .utf8)
        let tail = MetricsFileTail(path: path, maximumBatchBytes: 1024)
        let first = try tail.read(from: 0)
        #expect(first.malformedLines == 1 && first.rows.isEmpty && first.endOffset == UInt64(long.utf8.count))
        #expect(try tail.read(from: first.endOffset).rows.map(\.json) == [#"{"step":1}"#])
    }
}
