import SecretStore

/// A secret written as a file into the step's private secrets directory (`$JOBRUNNER_SECRETS_DIR`), for tools
/// that read credentials from files rather than from the environment.
public struct SecretFileBinding: Sendable, Equatable {
    /// The file's name inside the secrets directory; a single safe path component.
    public var fileName: String
    /// The secret whose value becomes the file's content.
    public var reference: SecretReference
    /// A variable that receives the file's full path, when the tool needs to be told where the file is.
    public var environmentName: String?

    /// A binding of the file `fileName` to `reference`, its path optionally exported as `environmentName`.
    public init(fileName: String, reference: SecretReference, environmentName: String? = nil) {
        self.fileName = fileName
        self.reference = reference
        self.environmentName = environmentName
    }
}
