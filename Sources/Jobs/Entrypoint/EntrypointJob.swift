import Foundation
import SecretStore

/// Builds the one-step job that `jobrunner exec` runs as a container entrypoint, from `--env NAME=REF`,
/// `--file NAME=REF` and the NeMo job backends' `NEMO_JOB_SECRETS="ENV=ws/name,ENV2=ws/name2"`, with the same
/// checks a spec file gets.
public enum EntrypointJob {
    /// The variable the NeMo job backends set with the secrets a container needs.
    public static let nemoJobSecretsVariable = "NEMO_JOB_SECRETS"

    /// Where problems in the command line are said to be, in place of a spec file name.
    static let source = "command line"

    /// The job for `command`, or every problem with the arguments.
    ///
    /// - Parameters:
    ///   - environment: `NAME=REF` pairs from `--env`.
    ///   - files: `NAME=REF` pairs from `--file`.
    ///   - nemoJobSecrets: the value of `NEMO_JOB_SECRETS`, if set.
    public static func make(
        name: String = "exec", workspace: String, command: [String], environment: [String], files: [String],
        nemoJobSecrets: String?, workingDirectory: String
    ) throws(JobSpecError) -> JobSpec {
        var problems: [JobSpecProblem] = []
        func problem(_ keyPath: String, _ message: String) {
            problems.append(JobSpecProblem(file: source, line: nil, keyPath: keyPath, message: message))
        }
        let workspaceName: WorkspaceName
        do {
            workspaceName = try WorkspaceName(workspace)
        } catch {
            problem("--workspace", "\(error)")
            workspaceName = .default
        }
        if command.isEmpty { problem("command", "no command given; write it after '--', e.g. jobrunner exec -- python3 train.py") }

        var bindings: [EnvironmentBinding] = []
        var names: Set<String> = []
        func bind(_ pair: String, option: String) {
            guard let equals = pair.firstIndex(of: "=") else {
                problem(option, "'\(pair)' is not NAME=REF; write e.g. HF_TOKEN=default/hf-token")
                return
            }
            let variable = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            if let issue = EnvironmentNameRule.problem(with: variable) { return problem(option, issue) }
            guard names.insert(variable).inserted else {
                return problem(option, "variable \(variable) is set twice; give each variable one secret")
            }
            do {
                bindings.append(
                    EnvironmentBinding(name: variable, source: .secret(try SecretReference(parsing: text, defaultWorkspace: workspaceName))))
            } catch {
                problem(option, "\(variable): \(error)")
            }
        }
        for pair in environment { bind(pair, option: "--env") }
        if let nemoJobSecrets {
            for pair in nemoJobSecrets.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !pair.isEmpty {
                bind(pair, option: nemoJobSecretsVariable)
            }
        }

        var fileBindings: [SecretFileBinding] = []
        var fileNames: Set<String> = []
        for pair in files {
            guard let equals = pair.firstIndex(of: "=") else {
                problem("--file", "'\(pair)' is not NAME=REF; write e.g. wandb_key=default/wandb-key")
                continue
            }
            let fileName = String(pair[..<equals])
            if let issue = SecretFileNameRule.problem(with: fileName) {
                problem("--file", issue)
                continue
            }
            guard fileNames.insert(fileName).inserted else {
                problem("--file", "file \(fileName) is given twice")
                continue
            }
            do {
                let reference = try SecretReference(parsing: String(pair[pair.index(after: equals)...]), defaultWorkspace: workspaceName)
                fileBindings.append(SecretFileBinding(fileName: fileName, reference: reference))
            } catch {
                problem("--file", "\(fileName): \(error)")
            }
        }
        guard problems.isEmpty else { throw JobSpecError(problems: problems) }
        let step = StepSpec(
            name: name, command: command, workingDirectory: workingDirectory, environment: bindings, files: fileBindings,
            line: 0)
        return JobSpec(name: name, workspace: workspaceName, steps: [step], sourcePath: "")
    }
}
