/// A benchmark that could not run or whose store returned something wrong; the run stops with this message.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
