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
    /// The query's `label:PREFIX*` and `under:` terms reach more labels than
    /// `QueryLimits.maxExpandedLabels`; `found` counts the labels reached up to and including the
    /// term that crossed the limit (planning stops there).
    case tooManyExpandedLabels(limit: Int, found: Int)
    /// The query needs more work than `QueryBudget.maxWork`. `estimate` is the planner's estimate
    /// when the query was refused before it ran, `nil` when it was stopped while running.
    case workBudgetExceeded(limit: Int, estimate: Int?)
    /// The query ran longer than `QueryBudget.timeLimit`.
    case timeLimitExceeded(Duration)
    /// The query's `QueryCancellation` was cancelled (its client went away) while it ran.
    case cancelled
    /// `name` is no label's path, and several labels below the root have it as their name;
    /// `paths` are (up to five of) theirs.
    case ambiguousLabel(String, paths: [String])

    public var description: String {
        switch self {
        case .syntax(let error): error.message
        case .invalidCursor(let cursor): "\"\(cursor.prefix(40))\" is not a valid cursor"
        case .cursorMismatch: "the cursor belongs to a different query"
        case .tooDeep(let limit): "the query is nested deeper than \(limit) levels"
        case .limitOutOfRange(let limit): "limit \(limit) is outside 0...\(QueryRequest.maximumLimit)"
        case .tooManyExpandedLabels(let limit, let found):
            "the query's label prefixes and under: terms reach \(found) labels, more than maxExpandedLabels "
                + "(\(limit)); every label a term reaches counts, once per term: use longer prefixes or fewer terms"
        case .workBudgetExceeded(let limit, let estimate?):
            "the query needs an estimated \(estimate) work units, more than maxWork (\(limit)); a unit is one "
                + "operand evaluated over one block of 65,536 assets: use fewer or more selective terms"
        case .workBudgetExceeded(let limit, nil):
            "the query was stopped after maxWork (\(limit)) work units; a unit is one operand evaluated over "
                + "one block of 65,536 assets: use fewer or more selective terms, or ask for less (count, facets, explain)"
        case .timeLimitExceeded(let limit): "the query was stopped after running longer than its time limit (\(limit))"
        case .cancelled: "the query was cancelled"
        case .ambiguousLabel(let name, let paths):
            "\"\(name)\" names several labels; write the path of the one you mean: "
                + paths.map {
                    "label:\"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
                }
                .joined(separator: ", ")
        }
    }
}
