import Foundation
import Injector
import SecretStore
import Testing

/// A real child writes a value one byte at a time into a pipe, read back one byte per read: the masked output
/// shows none of it.
struct ChildProcessMaskingTests {
    @Test func aChildPrintingTheValueByteByByteThroughAPipeIsMasked() throws {
        let value = "hf_ChildSeesThisToken_77aa"
        let script = """
            import base64, os, sys
            v = os.environ['HF_TOKEN']
            for text in ('token=' + v + '\\n', 'b64=' + base64.b64encode(v.encode()).decode() + '\\n'):
                for ch in text:
                    sys.stdout.write(ch)
                    sys.stdout.flush()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(["HF_TOKEN": value]) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()

        let masker = OutputMasker(secrets: [MaskedSecret(label: "default/hf-token", value: SecretValue(value))])
        var output = [UInt8]()
        // Reading one byte per call makes every read boundary a split point, however the child's writes were merged.
        while let chunk = try pipe.fileHandleForReading.read(upToCount: 1), !chunk.isEmpty {
            output += masker.mask(Array(chunk))
            #expect(masker.heldByteCount < masker.longestPatternLength)
        }
        output += masker.finish()
        process.waitUntilExit()

        #expect(process.terminationStatus == 0)
        #expect(output.utf8Text == "token=****\nb64=****\n")
    }
}
