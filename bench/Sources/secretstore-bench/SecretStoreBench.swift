import Foundation

/// Measures SecretStore's create, access and key-rotation throughput against raw swift-crypto calls measured in
/// the same process, and prints one report; `bench/run` builds it in release mode and runs it.
///
/// The report goes to standard output; progress and the library's own log lines go to standard error.
@main
enum SecretStoreBench {
    static func main() {
        let options: BenchmarkOptions
        do {
            options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch OptionsError.helpRequested {
            print(BenchmarkOptions.usage)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n\n\(BenchmarkOptions.usage)\n".utf8))
            exit(2)
        }
        do {
            print(try measure(options).lines.joined(separator: "\n"))
        } catch {
            FileHandle.standardError.write(Data("secretstore-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs every baseline and scenario in turn.
    ///
    /// Each scenario's baseline is measured again right before it, so that a neighbour loading the machine
    /// for a while skews both sides of the ratio alike.
    private static func measure(_ options: BenchmarkOptions) throws -> BenchmarkReport {
        var report = BenchmarkReport(options: options)
        let sink = ResultSink()
        let iterations = options.baselineIterations
        let token = AESGCMBaseline(valueByteCount: SecretFixtures.valueByteCount)
        let page = AESGCMBaseline(valueByteCount: 4 * 1024)
        let rewrap = KeyRewrapBaseline()

        progress("measuring the raw crypto baselines")
        report.results.add(try token.measureSeal(iterations: iterations, sink: sink))
        report.results.add(try token.measureOpen(iterations: iterations, sink: sink))
        report.results.add(try page.measureSeal(iterations: iterations, sink: sink))
        report.results.add(try page.measureOpen(iterations: iterations, sink: sink))
        report.results.add(try rewrap.measure(iterations: iterations, sink: sink))
        report.results.add(rewrap.measureDerivation(iterations: iterations, sink: sink))

        progress("making \(max(options.secrets, options.rotationSecrets)) fixture secrets")
        let fixtures = try SecretFixtures(count: max(options.secrets, options.rotationSecrets))
        let keys = try BenchmarkKeys()

        // Access reads back exactly what create wrote, so the two share one fresh database.
        do {
            let database = try TemporaryDatabase(under: options.directory)
            let store = try database.openStore(keyRing: keys.beforeRotation)

            progress("creating \(options.secrets) secrets")
            let sealBaseline = try token.measureSeal(iterations: iterations, sink: sink)
            let create = try CreateScenario.run(store, fixtures: fixtures, count: options.secrets)
            report.results.add(create, baseline: sealBaseline)

            progress("accessing \(options.secrets) secrets")
            let openBaseline = try token.measureOpen(iterations: iterations, sink: sink)
            let access = try AccessScenario.run(store, fixtures: fixtures, count: options.secrets, sink: sink)
            report.results.add(access, baseline: openBaseline)
            report.access = access
        }

        for count in options.rotationSizes {
            progress("rotating \(count) secrets (filling a fresh database first)")
            let result = try RotationScenario.run(
                count: count, fixtures: fixtures, keys: keys, directory: options.directory,
                populateThreads: options.populateThreads,
                measuringBaseline: { try rewrap.measure(iterations: iterations, sink: sink) })
            report.results.add(result.rotation, baseline: result.baseline)
            report.setups.add(result.setup)
            report.largestRotation = result.rotation
        }

        report.checksum = sink.checksum
        return report
    }

    /// A progress line on standard error, so standard output holds only the report.
    private static func progress(_ message: String) {
        FileHandle.standardError.write(Data("… \(message)\n".utf8))
    }
}
