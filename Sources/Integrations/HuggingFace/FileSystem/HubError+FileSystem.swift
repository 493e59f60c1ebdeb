import Glibc

extension HubError {
    /// The error for a failed system call on a local path: ENOSPC and EDQUOT are `.diskFull`, the rest
    /// `.fileSystem`, each with the system's explanation.
    static func fileSystem(_ code: Int32, _ action: String, _ path: String) -> HubError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return HubError(.diskFull, "No space left while \(action) \(path) (\(reason)); free some space or point HF_HUB_CACHE elsewhere.")
        }
        return HubError(.fileSystem, "Failed \(action) \(path): \(reason).")
    }
}
