// What one query may cost the server, and how expensive queries are kept from delaying cheap
// ones: the work budget and time limit of every query (`QueryBudget`), the cheap and expensive
// read lanes, and the cancellation of queries whose client went away.

import HTTPTypes
import LabelQuery

/// The cost bounds of one query request (`/v1/query`, ProjectDiscovery `custom_filter` and
/// `labels` filters), and the lanes queries run in. Work is counted in `QueryBudget` units: one
/// plan node evaluated over one block of 65,536 assets.
///
/// Every query first runs in the read pool (`ServerConfiguration.readThreads`, round robin over
/// accounts) with a budget of `expensiveWork` units and `expensiveExpansion` labels reached by
/// prefixes and `under:` (planning reads every label reached before the work can be
/// estimated). One whose estimate, actual work or expansion exceeds that is run again from the
/// start in the expensive lane: `expensiveThreads` threads of their
/// own, round robin over accounts, at most `expensivePerAccount` of one account at a time, with
/// the full `maxWork`. Cheap queries therefore never wait behind expensive ones, and an account
/// flooding the expensive lane only delays its own expensive queries.
public struct QueryCostLimits: Sendable, Hashable {
    /// Most work units one request may spend (count, page, facets and explain together); a
    /// query estimated above it is refused before it runs. Default: 2,000,000.
    public var maxWork: Int
    /// Longest a query may run once it has a thread (503 past it). Default: 10 seconds.
    public var timeLimit: Duration
    /// Queries estimated or found to need more than this many units run in the expensive
    /// lane. Default: 20,000 (a few milliseconds).
    public var expensiveWork: Int
    /// Queries whose prefixes and `under:` terms reach more labels than this run in the
    /// expensive lane (up to `ServerLimits.query.maxExpandedLabels`, refused past it). Default:
    /// 250.
    public var expensiveExpansion: Int
    /// Threads of the expensive lane. Default: 1.
    public var expensiveThreads: Int
    /// Most expensive queries of one account running at once. Default: 1.
    public var expensivePerAccount: Int

    public init(
        maxWork: Int = 2_000_000, timeLimit: Duration = .seconds(10), expensiveWork: Int = 20_000,
        expensiveExpansion: Int = 250, expensiveThreads: Int = 1, expensivePerAccount: Int = 1
    ) {
        self.maxWork = maxWork
        self.timeLimit = timeLimit
        self.expensiveWork = expensiveWork
        self.expensiveExpansion = expensiveExpansion
        self.expensiveThreads = expensiveThreads
        self.expensivePerAccount = expensivePerAccount
    }
}

/// A query refused or stopped for its cost, as every family reports it: the limit's name (as
/// configured: `maxExpandedLabels`, `maxWork`, `timeLimit`), its value, and what was found.
/// The expansion and work limits answer 400 `query_too_expensive` (the same query will fail
/// again; it must be changed); the time limit and a cancellation answer 503 `query_timeout` /
/// `query_cancelled` (the time a query takes depends on the load too).
struct QueryCostError {
    var status: HTTPResponse.Status
    var code: String
    var limit: String
    /// The limit's value (milliseconds for `timeLimit`; 0 for a cancellation).
    var maximum: Int
    var found: Int?

    static func applies(to error: QueryError) -> Bool {
        switch error {
        case .tooManyExpandedLabels, .workBudgetExceeded, .timeLimitExceeded, .cancelled: true
        case .syntax, .invalidCursor, .cursorMismatch, .tooDeep, .limitOutOfRange, .ambiguousLabel: false
        }
    }

    init(_ error: QueryError) {
        switch error {
        case .tooManyExpandedLabels(let limit, let found):
            self.init(
                status: .badRequest, code: "query_too_expensive", limit: "maxExpandedLabels", maximum: limit,
                found: found)
        case .workBudgetExceeded(let limit, let estimate):
            self.init(
                status: .badRequest, code: "query_too_expensive", limit: "maxWork", maximum: limit, found: estimate)
        case .timeLimitExceeded(let limit):
            let milliseconds = Int(
                limit.components.seconds * 1_000 + limit.components.attoseconds / 1_000_000_000_000_000)
            self.init(
                status: .serviceUnavailable, code: "query_timeout", limit: "timeLimit", maximum: milliseconds,
                found: nil)
        default:
            self.init(status: .serviceUnavailable, code: "query_cancelled", limit: "cancelled", maximum: 0, found: nil)
        }
    }

    private init(status: HTTPResponse.Status, code: String, limit: String, maximum: Int, found: Int?) {
        self.status = status
        self.code = code
        self.limit = limit
        self.maximum = maximum
        self.found = found
    }
}
