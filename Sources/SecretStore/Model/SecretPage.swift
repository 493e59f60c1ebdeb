/// Which slice of a list to return: 1-based page number and page size, both at least 1.
public struct PageRequest: Hashable, Sendable {
    /// The 1-based page number.
    public let page: Int
    /// How many items a full page holds.
    public let pageSize: Int

    /// The reference service's defaults: first page, ten items.
    public static let first = try! PageRequest(page: 1, pageSize: 10)

    /// Checks both numbers are at least 1 and that the page's offset fits in 64 bits.
    public init(page: Int, pageSize: Int) throws {
        guard page >= 1 else { throw SecretStoreError.invalidPage(reason: "page must be at least 1 (got \(page))") }
        guard pageSize >= 1 else {
            throw SecretStoreError.invalidPage(reason: "page size must be at least 1 (got \(pageSize))")
        }
        guard !(page - 1).multipliedReportingOverflow(by: pageSize).overflow else {
            throw SecretStoreError.invalidPage(reason: "page \(page) with page size \(pageSize) is out of range")
        }
        self.page = page
        self.pageSize = pageSize
    }

    /// How many items come before this page.
    var offset: Int { (page - 1) * pageSize }
}

/// One page of a secret list in the reference service's envelope: `{data, pagination}`, newest first.
///
/// List items omit a null `description`, as the reference does.
public struct SecretPage: Sendable, Encodable {
    /// The secrets on this page.
    public let data: [SecretMetadata]
    /// Where this page sits in the whole list.
    public let pagination: Pagination

    /// A page of `data` cut from `totalResults` items by `request`.
    public init(data: [SecretMetadata], request: PageRequest, totalResults: Int) {
        self.data = data
        self.pagination = Pagination(
            page: request.page,
            pageSize: request.pageSize,
            currentPageSize: data.count,
            // Rounded up without adding first: a page size near Int.max must not overflow.
            totalPages: totalResults / request.pageSize + (totalResults % request.pageSize == 0 ? 0 : 1),
            totalResults: totalResults)
    }

    enum CodingKeys: String, CodingKey { case data, pagination }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data.map(ListedSecret.init), forKey: .data)
        try container.encode(pagination, forKey: .pagination)
    }

    /// A list item: metadata whose description is left out when it is null.
    private struct ListedSecret: Encodable {
        let metadata: SecretMetadata
        enum CodingKeys: String, CodingKey {
            case name, workspace, description
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metadata.name, forKey: .name)
            try container.encode(metadata.workspace, forKey: .workspace)
            try container.encodeIfPresent(metadata.description, forKey: .description)
            try container.encode(metadata.createdAt, forKey: .createdAt)
            try container.encode(metadata.updatedAt, forKey: .updatedAt)
        }
    }
}

/// The reference service's pagination block.
public struct Pagination: Hashable, Sendable, Codable {
    /// The 1-based page number asked for.
    public let page: Int
    /// The page size asked for.
    public let pageSize: Int
    /// How many items this page holds (0 past the end).
    public let currentPageSize: Int
    /// How many pages the whole list fills (0 when it is empty).
    public let totalPages: Int
    /// How many items the whole list holds.
    public let totalResults: Int

    enum CodingKeys: String, CodingKey {
        case page
        case pageSize = "page_size"
        case currentPageSize = "current_page_size"
        case totalPages = "total_pages"
        case totalResults = "total_results"
    }
}
