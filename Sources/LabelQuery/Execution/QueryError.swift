/// Why a query could not run.
public enum QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is not a valid query; the error carries the offset, span and hint.
    case syntax(QuerySyntaxError)
    /// The cursor is not one this engine issued.
    case invalidCursor(String)
    /// The cursor was issued for a different query.
    case cursorMismatch
    /// An expression built in code is nested deeper than `limit`.
    case tooDeep(limit: Int)
    /// A page size outside `0...QueryRequest.maximumLimit`.
    case limitOutOfRange(Int)

    public var description: String {
        switch self {
        case .syntax(let error): error.message
        case .invalidCursor(let cursor): "\"\(cursor.prefix(40))\" is not a valid cursor"
        case .cursorMismatch: "the cursor belongs to a different query"
        case .tooDeep(let limit): "the query is nested deeper than \(limit) levels"
        case .limitOutOfRange(let limit): "limit \(limit) is outside 0...\(QueryRequest.maximumLimit)"
        }
    }
}
