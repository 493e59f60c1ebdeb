import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Receives one answer to a blob request on the event loop that reads its connection.
///
/// The async response body of AsyncHTTPClient hands over one chunk (64 KiB at most) at a time and reads the
/// connection again only once the receiving task has asked for the next: two thread switches per chunk, sixteen
/// thousand per gigabyte, and a connection left unread in between. Here each chunk is taken as it is read; chunks
/// go to the hasher and the writer in batches of about 1 MiB, each on a thread of its own, and the connection is
/// held back (by the future this returns) only while one of them is too far behind.
final class BlobBodyDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    /// The answer: its head, and its body when it was not a file's content (an error to report).
    struct Outcome: Sendable {
        var head: HTTPResponseHead
        var errorBody: ByteBuffer?
    }

    /// Whether the body a head announces is the file's content. Called on the event loop, before any of the
    /// body, so that it can empty the file when the server starts over; a thrown error ends the request.
    typealias ContentCheck = @Sendable (HTTPResponseHead) throws -> Bool

    private let writer: BlobFileWriter
    private let digest: PipelinedContentDigest
    private let progress: (any HubTransferProgress)?
    private let isContent: ContentCheck
    /// The file's size: a server sending more than that is cut off there (the checksum then fails).
    private let size: Int64

    // Touched on the connection's event loop only.
    private var head: HTTPResponseHead?
    private var streaming = false
    private var errorBody: ByteBuffer?
    private var batch: [ByteBuffer] = []
    private var batchBytes = 0

    /// How many received bytes go to the hasher and the writer at once.
    static let batchBytes = 1 << 20
    /// The most of an error answer's body kept for its message.
    static let errorBodyLimit = 1 << 20

    init(
        writer: BlobFileWriter, digest: PipelinedContentDigest, progress: (any HubTransferProgress)?, size: Int64,
        isContent: @escaping ContentCheck
    ) {
        self.writer = writer
        self.digest = digest
        self.progress = progress
        self.size = size
        self.isContent = isContent
    }

    /// Whether the file's content had begun to arrive (read once the request has ended).
    var receivedContent: Bool { streaming }

    func didReceiveHead(task: HTTPClient.Task<Outcome>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        do {
            streaming = try isContent(head)
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Outcome>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard streaming else {
            var buffer = buffer
            if (errorBody?.readableBytes ?? 0) + buffer.readableBytes <= Self.errorBodyLimit {
                errorBody.setOrWriteBuffer(&buffer)
            }
            return task.eventLoop.makeSucceededVoidFuture()
        }
        guard writer.length + Int64(batchBytes) < size else { return task.eventLoop.makeSucceededVoidFuture() }
        batch.append(buffer)
        batchBytes += buffer.readableBytes
        progress?.bytesTransferred(Int64(buffer.readableBytes))
        guard batchBytes >= Self.batchBytes else { return task.eventLoop.makeSucceededVoidFuture() }
        do {
            try handOver()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
        // Hold the connection back while the disk or the hasher is too far behind.
        var waits: [EventLoopFuture<Void>] = []
        if let wait = writer.whenCaughtUp(on: task.eventLoop) { waits.append(wait) }
        if let wait = digest.whenCaughtUp(on: task.eventLoop) { waits.append(wait) }
        return waits.isEmpty ? task.eventLoop.makeSucceededVoidFuture() : .andAllSucceed(waits, on: task.eventLoop)
    }

    func didReceiveError(task: HTTPClient.Task<Outcome>, _ error: Error) {
        // What arrived before the failure is kept, for the next attempt to resume from.
        if streaming { try? handOver() }
    }

    func didFinishRequest(task: HTTPClient.Task<Outcome>) throws -> Outcome {
        if streaming { try handOver() }
        return Outcome(head: head!, errorBody: errorBody)
    }

    /// Passes the batch to the hasher and the writer.
    private func handOver() throws(HubError) {
        guard batchBytes > 0 else { return }
        digest.update(batch, byteCount: batchBytes)
        try writer.append(batch, byteCount: batchBytes)
        batch.removeAll(keepingCapacity: true)
        batchBytes = 0
    }
}
