import Foundation
import Testing

@testable import SecretStore

/// Lists are newest first, in the reference's envelope, with the reference's edge behaviour.
struct PaginationTests {
    let directory = TemporaryDirectory()
    let store: SecretStore

    init() throws {
        store = try makeStore(in: directory, current: makeProvider("v1"))
    }

    @Test func anEmptyWorkspaceHasNoPages() throws {
        let page = try store.listSecrets(in: .default)
        #expect(page.data.isEmpty)
        #expect(page.pagination == Pagination(page: 1, pageSize: 10, currentPageSize: 0, totalPages: 0, totalResults: 0))
    }

    @Test func pagesWalkNewestFirstAndEndCleanly() throws {
        for index in 1...25 { try store.createSecret(ref("s\(index)"), value: SecretValue("v")) }
        let first = try store.listSecrets(in: .default, page: PageRequest(page: 1, pageSize: 10))
        #expect(first.data.map(\.name) == (16...25).reversed().map { "s\($0)" })
        #expect(first.pagination.totalPages == 3 && first.pagination.totalResults == 25)

        let last = try store.listSecrets(in: .default, page: PageRequest(page: 3, pageSize: 10))
        #expect(last.data.map(\.name) == (1...5).reversed().map { "s\($0)" })
        #expect(last.pagination.currentPageSize == 5)

        let beyond = try store.listSecrets(in: .default, page: PageRequest(page: 99, pageSize: 10))
        #expect(beyond.data.isEmpty)
        #expect(beyond.pagination == Pagination(page: 99, pageSize: 10, currentPageSize: 0, totalPages: 3, totalResults: 25))

        var seen: [String] = []
        for page in 1...25 {
            let single = try store.listSecrets(in: .default, page: PageRequest(page: page, pageSize: 1))
            #expect(single.pagination.totalPages == 25 && single.data.count == 1)
            seen += single.data.map(\.name)
        }
        #expect(seen == (1...25).reversed().map { "s\($0)" })
    }

    @Test func listsHoldOnlyTheirWorkspace() throws {
        try store.createWorkspace(WorkspaceName("team-a"))
        try store.createSecret(ref("team-a/a"), value: SecretValue("v"))
        try store.createSecret(ref("d"), value: SecretValue("v"))
        #expect(try store.listSecrets(in: WorkspaceName("team-a")).data.map(\.reference) == ["team-a/a"])
        #expect(try store.listSecrets(in: .default).data.map(\.reference) == ["default/d"])
    }

    @Test func pagesBelowOneAndOverflowingOffsetsAreRejected() {
        #expect(throws: SecretStoreError.self) { try PageRequest(page: 0, pageSize: 10) }
        #expect(throws: SecretStoreError.self) { try PageRequest(page: 1, pageSize: 0) }
        #expect(throws: SecretStoreError.self) { try PageRequest(page: -1, pageSize: 10) }
        #expect(throws: SecretStoreError.self) { try PageRequest(page: Int.max, pageSize: 1000) }
    }

    @Test func listItemsLeaveOutANullDescriptionAsTheReferenceDoes() throws {
        try store.createSecret(ref("nodesc"), value: SecretValue("v"))
        try store.createSecret(ref("desc"), value: SecretValue("v"), description: "d")
        let json = String(decoding: try JSONEncoder().encode(try store.listSecrets(in: .default)), as: UTF8.self)
        #expect(json.components(separatedBy: "\"description\"").count == 2)
        let single = String(decoding: try JSONEncoder().encode(try store.secretMetadata(ref("nodesc"))), as: UTF8.self)
        #expect(single.contains("\"description\":null"))
    }
}
