/// The Git LFS batch API's upload answer: per object, where to PUT it (and how to verify it), or nothing when
/// the Hub already has it.
struct LFSBatchReply: Decodable {
    struct Object: Decodable {
        struct Action: Decodable {
            let href: String
            let header: [String: String]?
        }
        struct Actions: Decodable {
            let upload: Action?
            let verify: Action?
        }
        struct Failure: Decodable {
            let code: Int?
            let message: String?
        }
        let oid: String
        let size: Int64
        let actions: Actions?
        let error: Failure?
    }
    let transfer: String?
    let objects: [Object]
}

/// One object in an LFS batch request.
struct LFSObject: Sendable, Hashable {
    let oid: String
    let size: Int64
}
