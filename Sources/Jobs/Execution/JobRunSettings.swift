import Injector
import SecretStore

/// How the runner runs a job: where it keeps records, how it resolves secrets, and the injection choices the
/// command line made.
public struct JobRunSettings: Sendable {
    /// The data directory holding `jobs.sqlite` and `logs/`.
    public var dataDirectory: String
    /// Resolves the job's references (embedded store or remote service).
    public var resolver: any SecretResolver
    /// The user the job runs for, recorded with the run (remote mode), if known.
    public var owner: String?
    /// The runner's environment, which children inherit minus the runner's own variables.
    public var environment: [String: String]
    /// Start children from `PATH`, `HOME`, `LANG` and `TZ` only.
    public var cleanEnvironment = false
    /// More variable names children must not inherit (the store's key variables).
    public var privateVariables: Set<String> = []
    /// Replace secret values in output with `****`.
    public var masking = true
    /// Values shorter than this are not masked (with a warning).
    public var maskingMinimumLength = OutputMasker.defaultMinimumLength
    /// Where secret files go: a private namespace when the kernel allows it, else `/dev/shm`.
    public var isolation: IsolationPreference = .automatic
    /// Give children pseudo-terminals (when the runner's own output is a terminal).
    public var pseudoTerminals = false
    /// Print progress notes (job and step started, succeeded) on standard error, not only in the log; failures
    /// and warnings are always printed. `exec`, an entrypoint, keeps quiet so the command's output stands alone.
    public var announceProgress = true
    /// How long a child has between SIGTERM and SIGKILL after its time limit.
    public var killGrace: Duration = .seconds(10)

    /// Settings with the given records location and resolver, and defaults for the rest.
    public init(dataDirectory: String, resolver: any SecretResolver, environment: [String: String]) {
        self.dataDirectory = dataDirectory
        self.resolver = resolver
        self.environment = environment
    }
}
