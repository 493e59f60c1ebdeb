import Foundation
import GRDB
import GRDBSQLite

/// One read-only SQLite connection driven through the C API, with every ``HotQuery`` compiled once.
///
/// GRDB runs each access through its connection's dispatch queue and decodes rows by column name; for the
/// per-request lookups, single indexed statements, that was most of their cost. This type does only what those
/// lookups need: bind text, step, read columns by position, reset. It is not thread-safe: ``HotReaders`` lends
/// it to one thread at a time. Errors are GRDB's `DatabaseError`, without SQL or arguments.
final class SQLiteReadConnection {
    private var handle: OpaquePointer?
    private var statements: [OpaquePointer?]

    /// Opens the database at `path` read-only; `mmapSize` bytes of it are read through a memory mapping.
    init(path: String, busyTimeout: TimeInterval, mmapSize: Int) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        let opened = sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open the database"
            sqlite3_close_v2(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: opened), message: message)
        }
        self.handle = handle
        statements = Array(repeating: nil, count: HotQuery.allCases.count)
        do {
            sqlite3_busy_timeout(handle, Int32(busyTimeout * 1000))
            try execute("PRAGMA mmap_size = \(mmapSize)")
            for query in HotQuery.allCases {
                var statement: OpaquePointer?
                let prepared = sqlite3_prepare_v3(handle, query.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
                guard prepared == SQLITE_OK else { throw error(prepared) }
                statements[query.rawValue] = statement
            }
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Runs `query` with its arguments bound and hands its rows to `body`; the statement is reset afterwards,
    /// so no read transaction outlives the call.
    func read<Result>(
        _ query: HotQuery, _ first: String, _ second: String?, _ body: (inout SQLiteRows) throws -> Result
    ) throws -> Result {
        guard let handle, let statement = statements[query.rawValue] else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed")
        }
        // SQLITE_STATIC: the bytes stay valid while the statement runs, and the bindings are cleared before
        // the closures that lend them return.
        var first = first
        var second = second ?? ""
        return try first.withUTF8 { firstBytes in
            try second.withUTF8 { secondBytes in
                defer {
                    sqlite3_reset(statement)
                    sqlite3_clear_bindings(statement)
                }
                try bind(firstBytes, at: 1, in: statement)
                if sqlite3_bind_parameter_count(statement) >= 2 { try bind(secondBytes, at: 2, in: statement) }
                var rows = SQLiteRows(statement: statement, connection: handle)
                return try body(&rows)
            }
        }
    }

    /// The identifiers in GRDB's `grdb_migrations` table: which schema migrations the file has.
    func appliedMigrations() throws -> Set<String> {
        guard let handle else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed") }
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, "SELECT identifier FROM grdb_migrations", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard prepared == SQLITE_OK, let statement else { throw error(prepared) }
        var identifiers: Set<String> = []
        while true {
            let stepped = sqlite3_step(statement)
            if stepped == SQLITE_DONE { return identifiers }
            guard stepped == SQLITE_ROW else { throw error(stepped) }
            identifiers.insert(String(cString: sqlite3_column_text(statement, 0)))
        }
    }

    /// Finalizes the statements and closes the connection; later reads throw.
    func close() {
        for statement in statements { sqlite3_finalize(statement) }
        statements = Array(repeating: nil, count: statements.count)
        sqlite3_close_v2(handle)
        handle = nil
    }

    private func bind(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32, in statement: OpaquePointer) throws {
        let code: Int32
        if let base = bytes.baseAddress {
            code = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, Int32(bytes.count), nil)
            }
        } else {
            // "" has no storage to lend; SQLite copies its own (binding a null pointer would mean NULL).
            code = sqlite3_bind_text(statement, index, "", 0, Self.transient)
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: handle.map { String(cString: sqlite3_errmsg($0)) })
    }

    /// SQLITE_TRANSIENT, which C spells as a cast of -1 that Swift does not import.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// The rows of a running ``HotQuery``: step with ``next()``, then read the current row's columns by position.
struct SQLiteRows {
    fileprivate let statement: OpaquePointer
    fileprivate let connection: OpaquePointer

    /// Moves to the next row; false when there is none.
    mutating func next() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Whether the column holds NULL.
    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    /// The column as an integer (0 for NULL).
    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    /// The column as text ("" for NULL).
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    /// The column as text, or nil for NULL.
    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }

    /// The column's bytes (empty for NULL).
    func data(_ column: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(statement, column)))
    }
}
