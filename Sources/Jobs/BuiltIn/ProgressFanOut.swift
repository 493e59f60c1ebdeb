import HuggingFaceIntegration

/// Hands every progress event of a transfer to several displays: the terminal bar and the job log's lines.
struct ProgressFanOut: HubTransferProgress {
    let displays: [any HubTransferProgress]

    func transferStarted(_ plan: HubTransferPlan) { displays.forEach { $0.transferStarted(plan) } }
    func bytesTransferred(_ count: Int64) { displays.forEach { $0.bytesTransferred(count) } }
    func fileCompleted(path: String, size: Int64) { displays.forEach { $0.fileCompleted(path: path, size: size) } }
    func transferFinished() { displays.forEach { $0.transferFinished() } }
}
