import LabelIndex
import LabelQuery

extension ServerRuntime {
    /// Runs a query read for `account` under `ServerLimits.queryCost`: first in the read pool
    /// with a budget of `expensiveWork` and `expensiveExpansion` labels, and when that is not
    /// enough, again in the expensive lane with the full `maxWork` and `maxExpandedLabels` (see
    /// `QueryCostLimits`). `body` gets the budget to run its
    /// queries with, carrying the connection's cancellation. Cost errors are counted in
    /// `labelindex_query_stops_total{reason}`.
    func query<T: Sendable>(
        account: String, _ body: @escaping @Sendable (Snapshot, QueryBudget) throws -> T
    ) async throws -> T {
        let cost = limits.queryCost
        let cancellation = ClientConnection.cancellation
        let store = store
        let cheapExpansion = cost.expensiveExpansion < limits.query.maxExpandedLabels ? cost.expensiveExpansion : nil
        @Sendable func attempt(_ maxWork: Int, maxExpandedLabels: Int? = nil) throws -> T {
            // A client that left while the query waited for a thread costs nothing more.
            if cancellation?.isCancelled == true { throw QueryError.cancelled }
            let budget = QueryBudget(
                maxWork: maxWork, timeLimit: cost.timeLimit, cancellation: cancellation,
                maxExpandedLabels: maxExpandedLabels)
            return try store.read { try body($0, budget) }
        }
        do {
            do {
                return try await reads.run(tenant: account) {
                    try attempt(min(cost.expensiveWork, cost.maxWork), maxExpandedLabels: cheapExpansion)
                }
            } catch QueryError.workBudgetExceeded(_, let estimate) where cost.expensiveWork < cost.maxWork {
                if let estimate, estimate > cost.maxWork {
                    throw QueryError.workBudgetExceeded(limit: cost.maxWork, estimate: estimate)
                }
                return try await expensiveReads.run(tenant: account) { try attempt(cost.maxWork) }
            } catch QueryError.tooManyExpandedLabels(let limit, _) where limit == cheapExpansion {
                return try await expensiveReads.run(tenant: account) { try attempt(cost.maxWork) }
            }
        } catch let error as QueryError {
            switch error {
            case .tooManyExpandedLabels: metrics.recordQueryStop(reason: "expanded_labels")
            case .workBudgetExceeded: metrics.recordQueryStop(reason: "work_budget")
            case .timeLimitExceeded: metrics.recordQueryStop(reason: "time_limit")
            case .cancelled: metrics.recordQueryStop(reason: "cancelled")
            case .syntax, .invalidCursor, .cursorMismatch, .tooDeep, .limitOutOfRange, .ambiguousLabel: break
            }
            throw error
        }
    }
}
