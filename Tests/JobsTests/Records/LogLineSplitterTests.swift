import Jobs
import Testing

/// Output becomes log lines at newlines, whatever the chunking, and a line without a newline cannot grow forever.
struct LogLineSplitterTests {
    @Test func linesAreCutAtNewlinesWhateverTheChunks() {
        let text = Array("first\nsecond line\r\nthird".utf8)
        for size in 1...text.count {
            var splitter = LogLineSplitter()
            var lines: [String] = []
            var index = 0
            while index < text.count {
                lines += splitter.feed(Array(text[index..<min(index + size, text.count)]))
                index += size
            }
            if let rest = splitter.finish() { lines.append(rest) }
            #expect(lines == ["first", "second line", "third"], "chunk size \(size)")
        }
    }

    @Test func aLineWithoutNewlineIsCutAtTheCap() {
        var splitter = LogLineSplitter()
        let lines = splitter.feed(Array(repeating: UInt8(ascii: "x"), count: LogLineSplitter.maximumLineBytes * 2 + 5))
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.utf8.count == LogLineSplitter.maximumLineBytes })
        #expect(splitter.finish() == "xxxxx")
        #expect(splitter.finish() == nil)
    }
}
