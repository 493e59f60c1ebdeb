import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The W&B run protocol for one key and one base URL: create or update a run (`UpsertBucket`) and stream its
/// history, summary and completion (`file_stream`) with line offsets, so that any request can be resent safely.
///
/// Each call makes one HTTP request with a timeout and maps every outcome to ``TelemetryPushFailure``; retrying
/// is the caller's choice (``TelemetryPusher`` does it with backoff).
public struct WandBRunClient: Sendable {
    /// The W&B API base URL, without a trailing slash.
    public let baseURL: String
    private let key: WandBAPIKey
    private let httpClient: HTTPClient
    private let timeout: Duration

    /// A client for `baseURL` authenticating with `key`; every request gives up after `timeout`.
    public init(baseURL: String, key: WandBAPIKey, httpClient: HTTPClient = TelemetryHTTPClient.shared, timeout: Duration = .seconds(30)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.key = key
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// What W&B answered to `UpsertBucket`: the entity the run lives under (needed in file_stream URLs) and how
    /// many history lines it holds.
    public struct UpsertedRun: Sendable, Equatable {
        /// The run's entity (the key owner's default one when none was asked for).
        public let entity: String
        /// History lines W&B holds for the run.
        public let historyLineCount: Int
    }

    /// Creates the run or updates its display name and config; `entity` nil lets W&B pick the key's default.
    public func upsertRun(
        runID: WandBRunID, project: String, entity: String?, displayName: String, config: [String: TelemetryValue]
    ) async throws(TelemetryPushFailure) -> UpsertedRun {
        let wrapped = config.mapValues { TelemetryValue.object(["value": $0]) }
        let body: String
        do {
            let variables = UpsertBucketMutation.Request.Variables(
                name: runID.value, project: project, entity: entity, displayName: displayName,
                config: try TelemetryJSON.encode(wrapped))
            body = try TelemetryJSON.encode(UpsertBucketMutation.Request(variables: variables))
        } catch {
            throw .rejected(status: 0, message: "the run config cannot be encoded as JSON: \(error)")
        }
        let text = try await post(path: "/graphql", body: body)
        guard let reply = try? TelemetryJSON.decode(UpsertBucketMutation.Reply.self, from: text) else {
            throw .rejected(status: 200, message: "UpsertBucket reply is not the expected JSON: \(text.prefix(200))")
        }
        if let errors = reply.errors, !errors.isEmpty {
            let message = errors.compactMap(\.message).joined(separator: "; ")
            throw .rejected(status: 200, message: key.redact("UpsertBucket: \(message)"))
        }
        guard let bucket = reply.data?.upsertBucket?.bucket, let resolved = bucket.project?.entity?.name ?? entity else {
            throw .rejected(status: 200, message: "UpsertBucket reply names no entity: \(text.prefix(200))")
        }
        return UpsertedRun(entity: resolved, historyLineCount: bucket.historyLineCount ?? 0)
    }

    /// Sends history lines starting at line `historyOffset`, the whole summary line, and (when `exitCode` is
    /// given) the run's completion. Returns whether W&B asked for the run to stop.
    public func streamFiles(
        entity: String, project: String, runID: WandBRunID, historyOffset: Int64, historyLines: [String], summaryLine: String?,
        exitCode: Int32?
    ) async throws(TelemetryPushFailure) -> Bool {
        var files: [String: FileStreamMessage.Chunk] = [:]
        if !historyLines.isEmpty {
            files[FileStreamMessage.historyFile] = .init(offset: historyOffset, content: historyLines)
        }
        if let summaryLine { files[FileStreamMessage.summaryFile] = .init(offset: 0, content: [summaryLine]) }
        let request = FileStreamMessage.Request(
            files: files.isEmpty ? nil : files, complete: exitCode == nil ? nil : true, exitcode: exitCode)
        let body: String
        do { body = try TelemetryJSON.encode(request) } catch {
            throw .rejected(status: 0, message: "history cannot be encoded as JSON: \(error)")
        }
        let path = "/files/\(Self.pathComponent(entity))/\(Self.pathComponent(project))/\(Self.pathComponent(runID.value))/file_stream"
        let text = try await post(path: path, body: body)
        let reply = try? TelemetryJSON.decode(FileStreamMessage.Reply.self, from: text.isEmpty ? "{}" : text)
        return reply?.stopped == true
    }

    /// One authenticated JSON POST; the reply body on 2xx, a ``TelemetryPushFailure`` otherwise.
    private func post(path: String, body: String) async throws(TelemetryPushFailure) -> String {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: key.authorizationHeaderValue)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "jobrunner-telemetry")
        request.body = .bytes(ByteBuffer(string: body))
        let status: Int
        let text: String
        do {
            let response = try await httpClient.execute(request, timeout: Self.timeAmount(timeout))
            let buffer = try await response.body.collect(upTo: 4 << 20)
            status = Int(response.status.code)
            text = String(buffer: buffer)
        } catch {
            throw .unreachable(reason: key.redact(Self.describe(error)))
        }
        switch status {
        case 200..<300: return text
        case 401, 403: throw .keyRefused(status: status)
        case 408, 409, 425, 429, 500..<600: throw .serverError(status: status)
        default: throw .rejected(status: status, message: key.redact(String(text.prefix(200))))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if error is CancellationError { return "cancelled" }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "no reply in time" }
            if error == .cancelled { return "cancelled" }
            return "\(error)"
        }
        return "\(error)"
    }

    private static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
