import Injector
import SecretStore
import Testing

/// A variable the runner inherited never reaches the child next to the step's own setting of it: programs differ
/// in which of two copies they read (getenv takes the first, Python's os.environ the last).
struct StepInjectionEnvironmentTests {
    private func injection(
        environment: [(String, String)], secretVariables: [(String, SecretValue)] = [], files: [SecretFile] = [],
        fileVariables: [(String, String)] = []
    ) -> StepInjection {
        StepInjection(
            argv: ["/bin/true"], environment: environment, secretVariables: secretVariables, workingDirectory: "/",
            secretFiles: files, fileVariables: fileVariables, maskedSecrets: [], maskingMinimumLength: 6,
            isolation: .sharedMemory, pseudoTerminals: false, timeout: nil, killGrace: .seconds(1))
    }

    @Test func laterPlainSettingsReplaceEarlierOnesInPlace() {
        let step = injection(environment: [("MODE", "inherited"), ("PATH", "/bin"), ("MODE", "step")])
        #expect(step.environment.map(\.0) == ["PATH", "MODE"])
        #expect(step.environment.map(\.1) == ["/bin", "step"])
    }

    @Test func secretAndFileVariablesReplaceInheritedOnes() {
        let step = injection(
            environment: [("HF_TOKEN", "shadow"), ("NETRC", "/home/u/.netrc"), ("JOBRUNNER_SECRETS_DIR", "/x"), ("KEEP", "1")],
            secretVariables: [("HF_TOKEN", SecretValue("real-token"))], files: [SecretFile(name: "netrc", value: SecretValue("m"))],
            fileVariables: [("NETRC", "netrc")])
        #expect(step.environment.map(\.0) == ["KEEP"])
    }
}
