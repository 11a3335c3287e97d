/// A failed SQLite call: the result code and `sqlite3_errmsg` at the time, plus what we were
/// doing (usually the SQL).
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The (extended) SQLite result code.
    public var code: Int32
    public var message: String
    public var context: String

    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    public var description: String { "SQLite error \(code): \(message) (\(context))" }
}
