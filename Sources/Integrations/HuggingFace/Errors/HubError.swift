/// What went wrong talking to the Hub or writing the cache: a category a program can branch on and a message a
/// person can act on. Messages name the repository, revision or file, never the token.
public struct HubError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure a caller may want to treat differently (exit codes, retries, hints).
    public enum Category: String, Sendable, CaseIterable {
        /// 401: no token was given where one is needed, or the Hub did not accept the token.
        case unauthorized
        /// 403: the token is valid but lacks the right (write access, another namespace).
        case forbidden
        /// The repository is gated: access has to be requested and granted on the Hub first.
        case gatedRepository
        /// The repository does not exist, or it is private and the token cannot see it.
        case repositoryNotFound
        /// The branch, tag or commit does not exist in the repository.
        case revisionNotFound
        /// The file does not exist at that revision.
        case entryNotFound
        /// The endpoint could not be reached, or the connection kept failing.
        case unreachable
        /// The Hub kept answering with server errors (5xx, 429) or with something that is not the Hub protocol.
        case serverError
        /// A downloaded file did not match its checksum; it was not put in the cache.
        case corruptedDownload
        /// The disk (or quota) is full.
        case diskFull
        /// Reading or writing a local file failed for another reason (permissions, missing folder).
        case fileSystem
        /// The request itself is wrong (bad repository id, missing folder to upload).
        case invalidRequest
    }

    /// What kind of failure this is.
    public let category: Category
    /// A sentence for a person, saying what failed and what to do about it.
    public let message: String
    /// The HTTP status the Hub answered with, when there was one.
    public let httpStatus: Int?

    /// An error of `category` with a message for a person.
    public init(_ category: Category, _ message: String, httpStatus: Int? = nil) {
        self.category = category
        self.message = message
        self.httpStatus = httpStatus
    }

    /// The message, prefixed by the category so that logs can be grepped.
    public var description: String { "\(category.rawValue): \(message)" }
}
