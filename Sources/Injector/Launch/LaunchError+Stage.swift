import CLauncher

#if canImport(Glibc)
    import Glibc
#endif

extension LaunchError {
    /// Whether a failure at `stage` means the kernel refused the private namespace (so shared memory may stand in).
    static func isNamespaceRefusal(stage: Int32) -> Bool {
        [CL_STAGE_NAMESPACES, CL_STAGE_USER_MAP, CL_STAGE_PRIVATE_ROOT, CL_STAGE_MOUNT_TMPFS].contains(Int(stage))
    }

    /// "unshare: Operation not permitted": the failing call and the kernel's reason.
    static func stageSummary(stage: Int32, errno number: Int32) -> String {
        "\(String(cString: cl_stage_call(stage))): \(message(for: number))"
    }

    /// The error for a launch that failed at `stage` with `number` (errno, or the file system magic for a
    /// directory that is not tmpfs).
    static func failure(
        stage: Int32, errno number: Int32, command: String, executable: String, request: LaunchRequest,
        secretsDirectory: String?
    ) -> LaunchError {
        switch Int(stage) {
        case CL_STAGE_EXEC:
            switch number {
            case ENOENT:
                // The file is there, so what is missing is its interpreter (a "#!" line naming a missing program).
                return ExecutableLookup.exists(executable)
                    ? .cannotExecute(command, reason: "its interpreter was not found") : .commandNotFound(command)
            case EACCES: return .cannotExecute(command, reason: "permission denied")
            case ENOEXEC: return .cannotExecute(command, reason: "it is not in an executable format")
            default: return .cannotExecute(command, reason: message(for: number))
            }
        case CL_STAGE_WORKING_DIRECTORY:
            return .workingDirectoryUnavailable(request.workingDirectory, reason: message(for: number))
        case CL_STAGE_NOT_TMPFS:
            return .notTmpfs(path: secretsDirectory ?? "?", fsType: FilesystemType.name(ofMagic: number))
        default:
            return .system(call: String(cString: cl_stage_call(stage)), errno: number)
        }
    }
}
