import Synchronization

/// How much one query may cost before it stops with an error instead of a result (never with a
/// partial one).
///
/// Work is counted in units: one plan node (a label's list, an AND, an OR…) evaluated over one
/// block of 65,536 assets, one word-level page step over a block, one facet counted over a block.
/// Before a query runs, its estimate, the plan's leaf lists times the blocks that can hold a
/// match, is compared with `maxWork` and an estimate above it is refused up front
/// (`QueryError.workBudgetExceeded` with the estimate); while it runs, every unit is subtracted
/// from the budget (count, page, facets, explain and full matches together), so a query the
/// estimate let through still stops when it has spent `maxWork`. The time limit and the
/// cancellation are polled every `checkInterval` units, so a running query stops within a few
/// block operations of its deadline or of being cancelled.
public struct QueryBudget: Hashable, Sendable {
    /// Most work units. Default: 10,000,000 (at a few microseconds a unit, seconds of one core).
    public var maxWork: Int
    /// Longest time the query may run, measured from the start of its execution (time spent
    /// queueing for a thread does not count); `nil`: no limit. Default: `nil`.
    public var timeLimit: Duration?
    /// Cancelled from another thread to stop the query (for instance when its client went away).
    public var cancellation: QueryCancellation?
    /// Most labels the query's `label:PREFIX*` and `under:` terms may reach under this budget,
    /// when lower than the query's own `QueryLimits.maxExpandedLabels` (planning costs one name
    /// lookup per label reached, before any estimate exists); past it the query fails with
    /// `QueryError.tooManyExpandedLabels` carrying this limit. `nil`: the query's limit alone.
    /// Default: `nil`.
    public var maxExpandedLabels: Int?

    /// Units between two checks of the clock and the cancellation flag.
    static let checkInterval = 64

    public init(
        maxWork: Int = 10_000_000, timeLimit: Duration? = nil, cancellation: QueryCancellation? = nil,
        maxExpandedLabels: Int? = nil
    ) {
        self.maxWork = maxWork
        self.timeLimit = timeLimit
        self.cancellation = cancellation
        self.maxExpandedLabels = maxExpandedLabels
    }

    /// No bound on work or time.
    public static let unlimited = QueryBudget(maxWork: .max)
}

/// A flag that stops the queries whose budget carries it. Set it from any thread; the queries
/// notice within `QueryBudget.checkInterval` work units and throw `QueryError.cancelled`.
public final class QueryCancellation: Hashable, Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    public static func == (lhs: QueryCancellation, rhs: QueryCancellation) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// The budget of one running query: a counter decremented on the executor's loops, with the
/// clock and the cancellation flag looked at only every `QueryBudget.checkInterval` units.
/// Used by one thread at a time (the query's).
final class WorkMeter {
    private let limit: Int
    private var remaining: Int
    private var untilCheck = QueryBudget.checkInterval
    private let timeLimit: Duration?
    private let deadline: ContinuousClock.Instant?
    private let cancellation: QueryCancellation?

    init(_ budget: QueryBudget) {
        limit = budget.maxWork
        remaining = budget.maxWork
        timeLimit = budget.timeLimit
        deadline = budget.timeLimit.map { ContinuousClock.now.advanced(by: $0) }
        cancellation = budget.cancellation
    }

    /// A meter that never stops a query, for internal evaluations already paid for.
    static func unlimited() -> WorkMeter { WorkMeter(.unlimited) }

    /// Units spent so far.
    var spent: Int { limit - remaining }

    /// Refuses a query whose estimate exceeds the budget, before it does any work.
    func admit(estimate: Int) throws(QueryError) {
        if estimate > limit { throw .workBudgetExceeded(limit: limit, estimate: estimate) }
    }

    @inline(__always)
    func spend(_ units: Int = 1) throws(QueryError) {
        remaining -= units
        if remaining < 0 { throw .workBudgetExceeded(limit: limit, estimate: nil) }
        untilCheck -= units
        if untilCheck <= 0 { try check() }
    }

    private func check() throws(QueryError) {
        untilCheck = QueryBudget.checkInterval
        if cancellation?.isCancelled == true { throw .cancelled }
        if let deadline, let timeLimit, ContinuousClock.now >= deadline { throw .timeLimitExceeded(timeLimit) }
    }
}
