import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The facts a reader needs to compare figures from two runs: cores, architecture, CPU, and whether the
/// benchmark was built optimised (debug figures say nothing about the product).
struct MachineDescription {
    let processorCount: Int
    let architecture: String
    let kernel: String
    let processorModel: String
    let buildConfiguration: String

    /// The machine this process runs on.
    static var current: MachineDescription {
        var names = utsname()
        uname(&names)
        #if DEBUG
            let configuration = "debug (figures are not representative: use bench/run, which builds release)"
        #else
            let configuration = "release"
        #endif
        return MachineDescription(
            processorCount: ProcessInfo.processInfo.activeProcessorCount,
            architecture: field(&names.machine),
            kernel: "\(field(&names.sysname)) \(field(&names.release))",
            processorModel: cpuModel() ?? "unknown",
            buildConfiguration: configuration)
    }

    /// The lines printed above the results.
    var lines: [String] {
        [
            "machine: nproc \(processorCount), \(architecture), \(kernel)",
            "cpu:     \(processorModel)",
            "build:   \(buildConfiguration)",
        ]
    }

    /// A fixed-size C string field of `utsname` as a Swift string.
    private static func field<Field>(_ value: inout Field) -> String {
        withUnsafeBytes(of: &value) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The first `model name` line of /proc/cpuinfo, where Linux has one.
    private static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}
