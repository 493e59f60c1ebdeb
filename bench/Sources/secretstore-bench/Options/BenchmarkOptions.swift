import Foundation

/// What one benchmark run measures and how big it is; defaults are the product's reference workload.
///
/// Parsed by hand rather than with swift-argument-parser so the bench package depends only on what it measures.
struct BenchmarkOptions {
    /// Secrets created and then accessed, and the size of the first rotation.
    var secrets = 10_000
    /// The size of the second, large rotation (the product target is 100,000 rows in under 10 s).
    var rotationSecrets = 100_000
    /// Operations per baseline measurement, after as many warm-up operations again.
    var baselineIterations = 100_000
    /// Threads that populate the rotation databases; setup only, never timed as a scenario.
    var populateThreads = ProcessInfo.processInfo.activeProcessorCount
    /// Where the temporary database files go; the system temporary directory unless given.
    var directory = FileManager.default.temporaryDirectory.path

    /// The rotation sizes to run, smallest first, each once.
    var rotationSizes: [Int] { Set([secrets, rotationSecrets]).sorted() }

    static let usage = """
        USAGE: secretstore-bench [options]

        Measures SecretStore against raw AES-256-GCM measured in the same run, and prints one table.

        OPTIONS:
          --secrets N               secrets to create, access and rotate (default 10000)
          --rotation-secrets N      secrets in the large rotation (default 100000)
          --baseline-iterations N   operations per baseline measurement (default 100000)
          --populate-threads N      threads that fill the rotation databases (default: the core count)
          --directory PATH          where the temporary databases go (default: the system temporary directory)
          -h, --help                show this help

        EXAMPLE (a quick smoke run):
          bench/run --secrets 200 --rotation-secrets 1000 --baseline-iterations 2000
        """

    /// Options from `arguments` (without the program name); throws a message meant for the person running it.
    init(arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "-h", "--help":
                throw OptionsError.helpRequested
            case "--secrets":
                secrets = try Self.positiveInteger(after: flag, in: &remaining)
            case "--rotation-secrets":
                rotationSecrets = try Self.positiveInteger(after: flag, in: &remaining)
            case "--baseline-iterations":
                baselineIterations = try Self.positiveInteger(after: flag, in: &remaining)
            case "--populate-threads":
                populateThreads = try Self.positiveInteger(after: flag, in: &remaining)
            case "--directory":
                guard let path = remaining.popFirst() else { throw OptionsError.invalid("\(flag) needs a path") }
                directory = path
            default:
                throw OptionsError.invalid("unknown option '\(flag)'")
            }
        }
    }

    private static func positiveInteger(after flag: String, in remaining: inout ArraySlice<String>) throws -> Int {
        guard let text = remaining.popFirst() else { throw OptionsError.invalid("\(flag) needs a number") }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value > 0 else {
            throw OptionsError.invalid("\(flag) takes a positive whole number, not '\(text)'")
        }
        return value
    }
}

/// Why the command line was not run: a request for help, or a mistake to show with the usage text.
enum OptionsError: Error, CustomStringConvertible {
    case helpRequested
    case invalid(String)

    var description: String {
        switch self {
        case .helpRequested: return "help requested"
        case .invalid(let message): return message
        }
    }
}
