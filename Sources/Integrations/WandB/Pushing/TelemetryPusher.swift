import AsyncHTTPClient
import Logging

/// Sends what the outbox holds to W&B, in the background while jobs run and on demand (`flush`).
///
/// Per job it creates the run (`UpsertBucket`), sends the history in bounded batches from the acknowledged
/// line on, and marks the run complete once the job finished and every row is in. The outbox advances only
/// after W&B answered, and a resend reuses the same line offsets, so a pusher killed at any moment and a new
/// one on the same outbox send every row exactly once. Failures are retried with backoff and jitter; a refused
/// key is reported once and not sent again until the key provider returns another key (or `flush` is
/// called); the provider is asked each round, which costs no request to W&B. Nothing here ever blocks a job: pushing runs on its own task.
public actor TelemetryPusher {
    /// Resolves the API key for a job's run each time it is pushed (nil when there is none); the runner looks
    /// it up in its secret store, so a rotated key is used at once and no key is ever kept in the outbox.
    public typealias KeyProvider = @Sendable (WandBRunFacts) async throws -> WandBAPIKey?
    /// Told once when a job's pushing starts failing in a new way (e.g. the key was refused), so the runner
    /// can print one clear message instead of one per retry.
    public typealias ProblemHandler = @Sendable (_ jobID: String, _ failure: TelemetryPushFailure) -> Void

    /// The outbox this pusher sends from.
    public let outbox: TelemetryOutbox
    private let settings: TelemetryPusherSettings
    private let httpClient: HTTPClient
    private let logger: Logger
    private let keyProvider: KeyProvider
    private let onProblem: ProblemHandler
    private let clock = ContinuousClock()
    private var retryStates: [String: RetryState] = [:]
    private var jobsInFlight: Set<String> = []

    /// What one attempt at a job ended with.
    private enum Attempt {
        case done(JobPushState)
        case failed(TelemetryPushFailure, key: WandBAPIKey?)
        case skippedRefusedKey
        case outOfTime
        case cancelled
    }

    /// Backoff bookkeeping of one job, in memory only.
    private struct RetryState {
        var failures = 0
        var nextAttempt: ContinuousClock.Instant?
        var refusedKey: WandBAPIKey?
        var reported: TelemetryPushFailure?
    }

    /// A pusher for `outbox`; `keyProvider` supplies each job's key, `onProblem` hears about failures once.
    public init(
        outbox: TelemetryOutbox, settings: TelemetryPusherSettings = TelemetryPusherSettings(), httpClient: HTTPClient = TelemetryHTTPClient.shared,
        logger: Logger = Logger(label: "jobrunner.telemetry"), keyProvider: @escaping KeyProvider,
        onProblem: @escaping ProblemHandler = { _, _ in }
    ) {
        self.outbox = outbox
        self.settings = settings
        self.httpClient = httpClient
        self.logger = logger
        self.keyProvider = keyProvider
        self.onProblem = onProblem
    }

    /// Pushes every job with something to send, every ``TelemetryPusherSettings/pollInterval``, until the task
    /// running it is cancelled. Run it in its own task next to the jobs.
    public func run() async {
        while !Task.isCancelled {
            await pushDueJobs()
            try? await Task.sleep(for: settings.pollInterval)
        }
    }

    /// One round of the background loop: every job with work whose backoff has expired gets one attempt.
    public func pushDueJobs() async {
        let states: [JobPushState]
        do { states = try await outbox.pushStates() } catch {
            logger.warning("telemetry: cannot read the outbox: \(error)")
            return
        }
        for state in states where state.hasWork {
            let jobID = state.facts.jobID
            if Task.isCancelled { return }
            // A job whose key was refused is looked at every round, but only sent when its key changed.
            if let retry = retryStates[jobID], retry.refusedKey == nil, let next = retry.nextAttempt, next > clock.now { continue }
            guard jobsInFlight.insert(jobID).inserted else { continue }
            let attempt = await push(jobID: jobID, deadline: nil, explicit: false)
            jobsInFlight.remove(jobID)
            note(attempt, jobID: jobID)
        }
    }

    /// Sends everything pending for `jobID` (or every job) before `timeout` runs out, retrying with backoff,
    /// and reports per job how far it got. Tries a refused key once more, since the user may have fixed it.
    public func flush(jobID: String? = nil, timeout: Duration) async -> [TelemetryFlushResult] {
        let deadline = clock.now + timeout
        let states: [JobPushState]
        do { states = try await outbox.pushStates(jobID: jobID) } catch {
            return [
                TelemetryFlushResult(
                    jobID: jobID ?? "*", outcome: .failed(.outboxUnavailable(reason: "\(error)")), rowsSent: 0, rowsPending: 0)
            ]
        }
        var results: [TelemetryFlushResult] = []
        for state in states {
            results.append(await flushJob(state, deadline: deadline))
        }
        return results
    }

    private func flushJob(_ initial: JobPushState, deadline: ContinuousClock.Instant) async -> TelemetryFlushResult {
        let jobID = initial.facts.jobID
        var state = initial
        var lastFailure: TelemetryPushFailure?
        var failures = 0
        func result(_ outcome: TelemetryFlushResult.Outcome) -> TelemetryFlushResult {
            TelemetryFlushResult(
                jobID: jobID, outcome: outcome, rowsSent: Int(state.acknowledgedRows),
                rowsPending: Int(state.rowCount - state.acknowledgedRows))
        }
        while true {
            if !state.hasWork {
                if state.stoppedByService { return result(.failed(.stoppedByService)) }
                return result(state.exitCode == nil ? .upToDate : .complete)
            }
            if Task.isCancelled || clock.now >= deadline { return result(.timedOut(lastFailure: lastFailure)) }
            guard jobsInFlight.insert(jobID).inserted else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            let attempt = await push(jobID: jobID, deadline: deadline, explicit: true)
            jobsInFlight.remove(jobID)
            note(attempt, jobID: jobID)
            if let latest = try? await outbox.pushStates(jobID: jobID).first { state = latest }
            switch attempt {
            case .done:
                continue
            case .failed(let failure, _) where !failure.isRetryable:
                return result(.failed(failure))
            case .failed(let failure, _):
                lastFailure = failure
                failures += 1
                let wait = settings.backoff.delay(afterFailures: failures)
                if clock.now + wait >= deadline { return result(.timedOut(lastFailure: failure)) }
                try? await Task.sleep(for: wait)
            case .outOfTime, .cancelled, .skippedRefusedKey:
                return result(.timedOut(lastFailure: lastFailure))
            }
        }
    }

    /// Updates the job's backoff after an attempt and reports a new kind of failure once.
    private func note(_ attempt: Attempt, jobID: String) {
        var retry = retryStates[jobID] ?? RetryState()
        switch attempt {
        case .done:
            if retry.reported != nil { logger.info("telemetry for job \(jobID): sending works again") }
            retry = RetryState()
        case .failed(let failure, let key):
            retry.failures += 1
            if case .keyRefused = failure {
                retry.refusedKey = key
            } else {
                retry.refusedKey = nil
                retry.nextAttempt = clock.now + settings.backoff.delay(afterFailures: retry.failures)
            }
            if retry.reported.map({ !$0.isSameKind(as: failure) }) ?? true {
                retry.reported = failure
                logger.warning("telemetry for job \(jobID): \(failure)")
                onProblem(jobID, failure)
            }
        case .skippedRefusedKey, .outOfTime, .cancelled:
            break
        }
        retryStates[jobID] = retry
    }

    /// One attempt at a job: upsert the run if needed, send pending rows batch by batch, then the completion.
    private func push(jobID: String, deadline: ContinuousClock.Instant?, explicit: Bool) async -> Attempt {
        var key: WandBAPIKey?
        do {
            guard var state = try await outbox.pushStates(jobID: jobID).first else {
                return .failed(.rejected(status: 0, message: "job \(jobID) is not in the outbox"), key: nil)
            }
            guard state.hasWork else { return .done(state) }
            do {
                key = try await keyProvider(state.facts)
            } catch {
                return try await fail(.keyUnavailable(reason: "\(error)"), jobID: jobID, key: nil)
            }
            guard let key else {
                return try await fail(.keyUnavailable(reason: "none is configured"), jobID: jobID, key: nil)
            }
            if !explicit, let refused = retryStates[jobID]?.refusedKey, refused == key { return .skippedRefusedKey }
            let client = WandBRunClient(
                baseURL: state.facts.baseURL, key: key, httpClient: httpClient, timeout: requestTimeout(before: deadline))

            if !state.runUpserted || state.resolvedEntity == nil {
                let run = try await client.upsertRun(
                    runID: state.facts.runID, project: state.facts.project, entity: state.resolvedEntity ?? state.facts.entity,
                    displayName: state.facts.displayName, config: state.facts.config)
                try await outbox.recordRunUpserted(jobID: jobID, configJSON: state.configJSON, entity: run.entity)
                guard let refreshed = try await outbox.pushStates(jobID: jobID).first else { return .cancelled }
                state = refreshed
            }
            let entity = state.resolvedEntity ?? state.facts.entity ?? ""
            var acknowledged = state.acknowledgedRows
            while true {
                if Task.isCancelled { return .cancelled }
                if let deadline, clock.now >= deadline { return .outOfTime }
                let rows = try await outbox.pendingRows(
                    jobID: jobID, from: acknowledged, limit: settings.batchRows, maximumBytes: settings.batchBytes)
                guard let first = rows.first, let last = rows.last else { break }
                let lines = rows.map {
                    HistoryLine.make(json: $0.json, step: $0.line, timestamp: $0.timestamp, startedAt: state.startedAt)
                }
                let stopped = try await client.streamFiles(
                    entity: entity, project: state.facts.project, runID: state.facts.runID, historyOffset: first.line,
                    historyLines: lines, summaryLine: summaryLine(state, lastStep: last.line, timestamp: last.timestamp),
                    exitCode: nil)
                acknowledged = last.line + 1
                try await outbox.recordAcknowledged(jobID: jobID, lines: acknowledged)
                if stopped {
                    try await outbox.recordStoppedByService(jobID: jobID)
                    return .failed(.stoppedByService, key: key)
                }
            }
            guard let latest = try await outbox.pushStates(jobID: jobID).first else { return .cancelled }
            state = latest
            if let exitCode = state.exitCode, !state.completionAcknowledged, state.acknowledgedRows >= state.rowCount {
                let stopped = try await client.streamFiles(
                    entity: entity, project: state.facts.project, runID: state.facts.runID, historyOffset: state.rowCount,
                    historyLines: [],
                    summaryLine: summaryLine(
                        state, lastStep: state.rowCount > 0 ? state.rowCount - 1 : nil, timestamp: state.lastRowTimestamp),
                    exitCode: exitCode)
                try await outbox.recordCompletionAcknowledged(jobID: jobID)
                if stopped { try await outbox.recordStoppedByService(jobID: jobID) }
                guard let final = try await outbox.pushStates(jobID: jobID).first else { return .cancelled }
                state = final
            }
            return .done(state)
        } catch let failure as TelemetryPushFailure {
            if Task.isCancelled { return .cancelled }
            return (try? await fail(failure, jobID: jobID, key: key)) ?? .failed(failure, key: key)
        } catch {
            if Task.isCancelled { return .cancelled }
            return .failed(.outboxUnavailable(reason: "\(error)"), key: key)
        }
    }

    private func fail(_ failure: TelemetryPushFailure, jobID: String, key: WandBAPIKey?) async throws -> Attempt {
        try await outbox.recordFailure(jobID: jobID, failure)
        return .failed(failure, key: key)
    }

    private func summaryLine(_ state: JobPushState, lastStep: Int64?, timestamp: Double?) -> String {
        let end = state.finishedAt ?? timestamp ?? state.startedAt
        return SummaryMerge.summaryLine(
            state.lastValues, lastStep: lastStep, runtime: max(0, end - state.startedAt), timestamp: timestamp)
    }

    private func requestTimeout(before deadline: ContinuousClock.Instant?) -> Duration {
        guard let deadline else { return settings.requestTimeout }
        return max(.milliseconds(50), min(settings.requestTimeout, deadline - clock.now))
    }
}
