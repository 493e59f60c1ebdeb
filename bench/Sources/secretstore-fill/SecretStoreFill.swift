import Dispatch
import Foundation
import Logging
import SecretStore

/// Fills a data directory with secrets through the `SecretStore` library, as `jobrunner serve` will open it:
/// `SecretStore.open` with no config file, so the development key is created in the directory and the
/// server started on it later reads the same rows. Setup for `bench/http-load`; not itself a benchmark.
///
/// Names are `PREFIX` followed by the index zero-padded to 7 digits (`load-0000001` … ), in the `default`
/// workspace, each with a distinct 40-byte token-like value; the HTTP load scripts pick names the same way.
///
/// Every create is one durable transaction, so one thread mostly waits on the disk sync; several threads
/// overlap the sealing of one secret with the commit of another. With `--staging DIR` (a tmpfs such as
/// /dev/shm) the rows are written there, where a sync costs nothing, and the closed database, its WAL
/// checkpointed, is then copied with the key into the data directory: the same file, minutes sooner.
@main
enum SecretStoreFill {
    static let usage = """
        USAGE: secretstore-fill --data-dir DIR [--count N] [--threads N] [--prefix P] [--staging DIR]

        Creates N secrets named P0000001… in the default workspace of the store in DIR (development key).

        OPTIONS:
          --data-dir DIR   the data directory jobrunner will serve (created when missing)
          --count N        secrets to create (default 100000)
          --threads N      concurrent writers (default: twice the core count)
          --prefix P       name prefix (default 'load-')
          --staging DIR    write in DIR (e.g. a fresh directory on /dev/shm), then copy into --data-dir
          -h, --help       show this help
        """

    static func main() {
        do {
            guard let options = try Options(arguments: Array(CommandLine.arguments.dropFirst())) else {
                print(usage)
                return
            }
            try run(options)
        } catch let error as OptionsError {
            FileHandle.standardError.write(Data("error: \(error.message)\n\n\(usage)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("secretstore-fill: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: Options) throws {
        let target = options.staging ?? options.dataDirectory
        let quiet = Logger(label: "secretstore-fill") { _ in SwiftLogNoOpLogHandler() }
        let store = try SecretStore.open(
            settings: StoreSettings(dataDirectory: target, configFile: nil), environment: [:], logger: quiet)

        let clock = ContinuousClock()
        let started = clock.now
        let failures = FirstFailure()
        let created = Counter()
        let threads = options.threads
        let group = DispatchGroup()
        // Plain threads rather than concurrentPerform, whose width is the core count: the writers are
        // mostly waiting on a disk sync, so more of them than cores keeps the one SQLite writer busy.
        for worker in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var random = SystemRandomNumberGenerator()
                for index in stride(from: worker + 1, through: options.count, by: threads) where !failures.happened {
                    do {
                        let reference = SecretReference(
                            workspace: .default, name: try SecretName(options.prefix + pad(index)))
                        try store.createSecret(reference, value: tokenValue(using: &random))
                        let done = created.increment()
                        if done % 20_000 == 0 { progress("\(done) of \(options.count) created") }
                    } catch {
                        failures.record(error)
                    }
                }
            }
        }
        group.wait()
        if let error = failures.first { throw error }
        try store.close()
        if let staging = options.staging {
            try copyStore(from: staging, to: options.dataDirectory)
        }
        let total = seconds(started.duration(to: clock.now))
        progress(
            String(
                format: "created %d secrets with %d threads in %.1f s (%.0f/s)%@", options.count, threads, total,
                Double(options.count) / total, options.staging == nil ? "" : ", staged on \(options.staging!) and copied"))
    }

    /// Copies the closed store (database and development key) from `source` into `destination`.
    static func copyStore(from source: String, to destination: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: destination) {
            try files.createDirectory(
                atPath: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        for name in try files.contentsOfDirectory(atPath: source) {
            // After a clean close the WAL is checkpointed into the main file; any -wal/-shm left is copied too.
            let from = (source as NSString).appendingPathComponent(name)
            let to = (destination as NSString).appendingPathComponent(name)
            if files.fileExists(atPath: to) { try files.removeItem(atPath: to) }
            try files.copyItem(atPath: from, toPath: to)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: to)
        }
        try files.removeItem(atPath: source)
    }

    static func pad(_ index: Int) -> String {
        let digits = String(index)
        return digits.count >= 7 ? digits : String(repeating: "0", count: 7 - digits.count) + digits
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A 40-byte value shaped like an API token.
    static func tokenValue(using random: inout SystemRandomNumberGenerator) -> SecretValue {
        var bytes = Array("tok_".utf8)
        for _ in 0..<36 { bytes.append(alphabet.randomElement(using: &random)!) }
        return SecretValue(bytes: bytes)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func progress(_ message: String) {
        FileHandle.standardError.write(Data("… \(message)\n".utf8))
    }
}

/// The command line, parsed by hand like the store benchmark's.
struct Options {
    var dataDirectory = ""
    var count = 100_000
    var threads = 2 * ProcessInfo.processInfo.activeProcessorCount
    var prefix = "load-"
    var staging: String?

    /// Nil when help was asked for.
    init?(arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "-h", "--help": return nil
            case "--data-dir": dataDirectory = try Self.text(after: flag, in: &remaining)
            case "--count": count = try Self.positive(after: flag, in: &remaining)
            case "--threads": threads = try Self.positive(after: flag, in: &remaining)
            case "--prefix": prefix = try Self.text(after: flag, in: &remaining)
            case "--staging": staging = try Self.text(after: flag, in: &remaining)
            default: throw OptionsError(message: "unknown option '\(flag)'")
            }
        }
        guard !dataDirectory.isEmpty else { throw OptionsError(message: "--data-dir is required") }
    }

    private static func text(after flag: String, in remaining: inout ArraySlice<String>) throws -> String {
        guard let text = remaining.popFirst(), !text.isEmpty else { throw OptionsError(message: "\(flag) needs a value") }
        return text
    }

    private static func positive(after flag: String, in remaining: inout ArraySlice<String>) throws -> Int {
        let text = try Self.text(after: flag, in: &remaining)
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value > 0 else {
            throw OptionsError(message: "\(flag) takes a positive whole number, not '\(text)'")
        }
        return value
    }
}

struct OptionsError: Error {
    let message: String
}

/// The first error any writer hit, so the others stop early and it can be rethrown.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    var first: (any Error)? { lock.withLock { error } }
    var happened: Bool { first != nil }

    func record(_ newError: any Error) {
        lock.withLock { if error == nil { error = newError } }
    }
}

/// A shared count of rows created, for progress lines.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
