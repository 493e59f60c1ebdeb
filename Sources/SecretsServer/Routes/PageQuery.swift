import Hummingbird
import HummingbirdCore
import SecretStore

extension PageRequest {
    /// Reads `page` and `page_size` from the query string with the reference's defaults and 422 messages.
    init(query: URI) throws {
        let parameters = query.queryParameters
        let page = try Self.positiveInteger(parameters["page"].map(String.init), name: "page", default: 1)
        let pageSize = try Self.positiveInteger(parameters["page_size"].map(String.init), name: "page_size", default: 10)
        do {
            try self.init(page: page, pageSize: pageSize)
        } catch let error as SecretStoreError {
            throw APIError(error, location: ["query"])
        }
    }

    private static func positiveInteger(_ text: String?, name: String, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text) else {
            throw APIError.invalid(
                ["query", .key(name)], "Input should be a valid integer, unable to parse string as an integer",
                type: "int_parsing", input: String(text.prefix(100)))
        }
        guard number > 0 else {
            throw APIError.invalid(["query", .key(name)], "Input should be greater than 0", type: "greater_than", input: text)
        }
        return number
    }
}
