import Foundation
import SecretStore

/// Writes command results to standard output as a human table or as the HTTP API's JSON.
enum Printer {
    /// The JSON encoder shared by every command: the API's field names, keys sorted so output is stable.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Prints `value` as compact JSON, or as the text `table` makes of it.
    static func print<Value: Encodable>(_ value: Value, as format: OutputFormat, table: (Value) -> String) throws {
        switch format {
        case .json:
            Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
        case .table:
            Swift.print(table(value))
        }
    }

    /// The metadata of one secret as aligned `key: value` lines.
    static func describe(_ metadata: SecretMetadata) -> String {
        Table(
            headers: nil,
            rows: [
                ["Name:", metadata.name],
                ["Workspace:", metadata.workspace],
                ["Description:", metadata.description ?? "-"],
                ["Created (UTC):", "\(metadata.createdAt)"],
                ["Updated (UTC):", "\(metadata.updatedAt)"],
            ]
        ).rendered
    }
}

/// Left-aligned columns separated by two spaces, for terminals.
struct Table {
    let headers: [String]?
    let rows: [[String]]

    var rendered: String {
        let all = (headers.map { [$0] } ?? []) + rows.map { $0.map(Self.singleLine) }
        let columnCount = all.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Keeps a cell on one line so a description with newlines cannot break the table.
    private static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
