import ArgumentParser
import Foundation
import SecretStore

#if canImport(Glibc)
    import Glibc
#endif

/// `jobrunner admin rotate-encryption-keys`: moves every data key under the current provider.
struct RotateEncryptionKeys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-encryption-keys",
        abstract: "Re-wrap every secret's data key with the current key provider.",
        discussion: """
            1. Add the new provider to the config and make it current, keeping the old one:
                 secrets:
                   encryption:
                     current_provider: v2
                     providers:
                       secret_key:
                         v1: { value: "<old base64 key>" }
                         v2: { from_env: NEW_ENCRYPTION_KEY }
            2. Run this command. It is safe to interrupt and to rerun; secrets stay readable throughout.
            3. When it logs 'Completed rotation of encryption keys for all secrets', remove v1.
            Exits 1 when some secrets could not be re-wrapped (each is logged with the reason); fix and rerun.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Print a summary, or the API's JSON: {\"rotated_secrets\": N, \"success\": true}.")
    var output: OutputFormat = .table

    @Option(
        name: .customLong("batch-size"),
        help: ArgumentHelp(
            "Secrets re-wrapped per transaction; smaller batches hold the write lock for less time.",
            valueName: "n"))
    var batchSize: Int = 500

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let secretStore = try store.openStore()
        let showProgress = isatty(STDERR_FILENO) == 1
        let report = try secretStore.rotateEncryptionKeys(batchSize: batchSize) { progress in
            guard showProgress, progress.total > 0 else { return }
            let done = progress.rotated + progress.failed
            FileHandle.standardError.write(
                Data("\rRe-wrapping data keys: \(done)/\(progress.total)".utf8))
            if done >= progress.total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        try Printer.print(report, as: output) { report in
            report.success
                ? "Rotated \(report.rotatedSecrets) secret\(report.rotatedSecrets == 1 ? "" : "s") to provider "
                    + "'\(secretStore.currentProviderName)'."
                : "Rotated \(report.rotatedSecrets) secrets; \(report.failedSecrets) could not be re-wrapped "
                    + "(see the errors above). Fix them and run the rotation again."
        }
        if !report.success { throw ExitCode(1) }
    }
}
