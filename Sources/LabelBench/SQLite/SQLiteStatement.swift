import CSQLite

/// A prepared statement. Parameters are 1-based, columns 0-based, as in the C API.
final class SQLiteStatement {
    private let connection: SQLiteConnection
    private let handle: OpaquePointer
    let sql: String

    init(connection: SQLiteConnection, sql: String) throws {
        var handle: OpaquePointer?
        // PERSISTENT: these statements live for the whole benchmark and are reused.
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else { throw connection.error(code, "prepare \(sql)") }
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Makes the statement ready to run again (bindings are kept until rebound).
    func reset() {
        // reset returns the error of the previous run, which `step` already reported.
        sqlite3_reset(handle)
    }

    func bind(_ value: Int64, at index: Int32) throws {
        let code = sqlite3_bind_int64(handle, index, value)
        if code != SQLITE_OK { throw connection.error(code, "bind ?\(index) of \(sql)") }
    }

    func bind(_ value: String, at index: Int32) throws {
        // SQLITE_TRANSIENT: SQLite copies the text, since Swift's C string is temporary.
        let code = sqlite3_bind_text(handle, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        if code != SQLITE_OK { throw connection.error(code, "bind ?\(index) of \(sql)") }
    }

    /// Binds `values` to parameters 1, 2, … in order.
    func bind(_ values: [Int64]) throws {
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
    }

    /// Advances to the next row; `false` once the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw connection.error(code, sql)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws {
        while try step() {}
    }

    func int64(at column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
}
