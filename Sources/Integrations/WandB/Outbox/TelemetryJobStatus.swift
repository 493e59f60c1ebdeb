import Foundation

/// Where one job's telemetry stands: what `jobrunner telemetry status` prints.
public struct TelemetryJobStatus: Sendable, Equatable {
    /// Where the job's W&B run is in its life.
    public enum RunState: String, Sendable, Equatable {
        /// The job is still running; rows keep arriving.
        case running
        /// The job finished; rows or the run's completion are still to be sent.
        case finishing
        /// W&B holds every row and knows the run is complete.
        case complete
        /// W&B asked for the run to stop; nothing more is sent.
        case stoppedByService
    }

    /// The runner's job id.
    public let jobID: String
    /// The W&B run id (the job id made valid for W&B).
    public let runID: String
    /// The W&B base URL the run goes to.
    public let baseURL: String
    /// The entity: as configured, or as W&B named it once the run was created; nil while unknown.
    public let entity: String?
    /// The W&B project.
    public let project: String
    /// History rows stored in the outbox.
    public let rowsStored: Int
    /// History rows W&B acknowledged.
    public let rowsSent: Int
    /// Lines of the metrics file that were not JSON objects (skipped).
    public let malformedLines: Int
    /// The job's exit code, once it finished.
    public let exitCode: Int32?
    /// The run's state.
    public let state: RunState
    /// Why the last attempt to send failed, until a later one succeeds.
    public let lastFailure: TelemetryPushFailure?
    /// When that failure happened.
    public let lastFailureAt: Date?

    /// Rows stored but not yet acknowledged by W&B.
    public var rowsPending: Int { rowsStored - rowsSent }

    init(_ state: JobPushState) {
        jobID = state.facts.jobID
        runID = state.facts.runID.value
        baseURL = state.facts.baseURL
        entity = state.resolvedEntity ?? state.facts.entity
        project = state.facts.project
        rowsStored = Int(state.rowCount)
        rowsSent = Int(state.acknowledgedRows)
        malformedLines = Int(state.malformedLines)
        exitCode = state.exitCode
        if state.stoppedByService {
            self.state = .stoppedByService
        } else if state.exitCode == nil {
            self.state = .running
        } else {
            self.state = state.completionAcknowledged ? .complete : .finishing
        }
        lastFailure = state.lastFailure
        lastFailureAt = state.lastFailureAt.map { Date(timeIntervalSince1970: $0) }
    }
}
