import LabelIndex
import Roaring

extension NamespaceReader {
    /// Runs a query on this namespace's snapshot.
    ///
    /// ```swift
    /// let result = try store.read { snapshot in
    ///     try snapshot.namespace(.default)?.run(PreparedQuery("label:prod AND NOT label:reviewed"))
    /// }
    /// ```
    public func run(_ query: PreparedQuery, _ request: QueryRequest = QueryRequest()) throws -> QueryResult {
        guard (0...QueryRequest.maximumLimit).contains(request.limit) else {
            throw QueryError.limitOutOfRange(request.limit)
        }
        let after = try request.cursor.map { cursor throws(QueryError) in
            try cursor.ordinal(checking: query.fingerprint)
        }
        let (plan, warnings) = try query.plan(for: self, budget: request.budget)
        var builder = ExecutionBuilder(reader: self)
        let executor = try admittedExecutor(plan, &builder, request.budget)
        var result = QueryResult(
            count: nil, ordinals: [], assets: [], nextCursor: nil, facets: [], warnings: warnings, explanation: nil)
        if request.includeCount { result.count = try executor.count() }
        if request.limit > 0 {
            let (ordinals, hasMore) = try executor.page(
                after: after, limit: request.limit, loadingListsUpTo: request.smallNamespaceBlocks)
            result.ordinals = ordinals.map { AssetOrdinal($0) }
            if hasMore, let last = ordinals.last {
                result.nextCursor = QueryCursor(after: last, fingerprint: query.fingerprint)
            }
            switch request.contents {
            case .ordinals: break
            case .keys: result.keys = try assetKeys(at: result.ordinals)
            case .assets: result.assets = try assets(at: result.ordinals)
            }
        }
        if !request.facets.isEmpty {
            var lists: [PostingsList] = []
            var positions: [Int?] = []
            for name in request.facets {
                if let id = try labelID(named: name) {
                    positions.append(lists.count)
                    lists.append(try builder.list(.label(id)))
                } else {
                    positions.append(nil)
                }
            }
            let counts = try executor.facetCounts(lists)
            result.facets = zip(request.facets, positions).map { name, position in
                QueryResult.Facet(label: name, count: position.map { counts[$0] } ?? 0)
            }
        }
        if request.explain { result.explanation = try explanation(executor: executor, plan: plan, warnings: warnings) }
        return result
    }

    /// The exact number of assets matching `query`.
    public func count(_ query: PreparedQuery) throws -> Int {
        try run(query, QueryRequest(limit: 0, includeCount: true, contents: .ordinals)).count ?? 0
    }

    /// Every matching ordinal, as one bitmap, within `budget`.
    public func matches(_ query: PreparedQuery, budget: QueryBudget = QueryBudget()) throws -> RoaringBitmap {
        let (plan, _) = try query.plan(for: self, budget: budget)
        var builder = ExecutionBuilder(reader: self)
        return try admittedExecutor(plan, &builder, budget).allMatches()
    }

    /// The plan of `query` with estimated and actual cardinalities and timings, within `budget`.
    public func explain(_ query: PreparedQuery, budget: QueryBudget = QueryBudget()) throws -> QueryExplanation {
        let (plan, warnings) = try query.plan(for: self, budget: budget)
        var builder = ExecutionBuilder(reader: self)
        let executor = try admittedExecutor(plan, &builder, budget)
        return try explanation(executor: executor, plan: plan, warnings: warnings)
    }

    /// The work `query` is estimated to need (`QueryExecutor.estimatedWork`), what `QueryBudget`
    /// compares with `maxWork` before running it: a caller can route expensive queries
    /// elsewhere before running them.
    public func estimatedWork(_ query: PreparedQuery) throws -> Int {
        let (plan, _) = try query.plan(for: self, budget: .unlimited)
        var builder = ExecutionBuilder(reader: self)
        return try QueryExecutor(root: try builder.make(plan), universe: builder.universe, meter: .unlimited())
            .estimatedWork()
    }

    /// The executor for `plan`, once its estimate fits `budget`.
    private func admittedExecutor(
        _ plan: PlanNode, _ builder: inout ExecutionBuilder, _ budget: QueryBudget
    ) throws -> QueryExecutor {
        let meter = WorkMeter(budget)
        let executor = QueryExecutor(root: try builder.make(plan), universe: builder.universe, meter: meter)
        try meter.admit(estimate: try executor.estimatedWork())
        return executor
    }

    private func explanation(
        executor: QueryExecutor, plan: PlanNode, warnings: [QueryWarning]
    ) throws
        -> QueryExplanation
    {
        try executor.loadLists()
        func describe(_ node: ExecutionNode) throws -> QueryExplanation.Node {
            let single = QueryExecutor(root: node, universe: executor.universe, meter: executor.meter)
            let clock = ContinuousClock()
            let start = clock.now
            var actual = 0
            for block in try single.candidateBlocks(node) { actual += try single.evaluate(node, in: block)?.count ?? 0 }
            let elapsed = clock.now - start
            let microseconds =
                Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            return QueryExplanation.Node(
                operation: node.operationName, query: node.plan.expression.canonicalText, estimatedCount: node.estimate,
                actualCount: actual, microseconds: microseconds, children: try node.children.map(describe))
        }
        return QueryExplanation(
            normalizedQuery: plan.expression.canonicalText, plan: try describe(executor.root), warnings: warnings)
    }
}

extension ExecutionNode {
    var operationName: String {
        switch operation {
        case .empty: "none"
        case .list(let list) where list.list == .universe: "all"
        case .list(let list) where list.list == .labelled: "has:label"
        case .list: "label"
        case .literal: "assets"
        case .and(let positive, let negative): negative.isEmpty ? "AND" : positive.isEmpty ? "NOT" : "AND NOT"
        case .or: "OR"
        }
    }
}

/// How many assets a query-driven change reached.
public struct BulkChangeOutcome: Hashable, Sendable {
    /// Assets matching the query.
    public var matched: Int
    /// Of those, assets whose labels actually changed.
    public var changed: Int
}

extension NamespaceWriter {
    /// Applies `change` to every asset matching `query`, in this transaction: the query sees
    /// the transaction's own earlier changes, and the change is atomic with them.
    @discardableResult
    public func apply(
        _ change: LabelChange, toAssetsMatching query: PreparedQuery, budget: QueryBudget = QueryBudget()
    ) throws -> BulkChangeOutcome {
        let matches = try matches(query, budget: budget)
        let changed = try apply(change, toOrdinals: matches)
        return BulkChangeOutcome(matched: matches.count, changed: changed)
    }
}

extension LabelStore {
    /// Runs `text` on `namespace` in its own snapshot: `try store.query("label:prod", limit: 100)`.
    public func query(
        _ text: String, in namespace: Namespace = .default, limit: Int = 100, cursor: QueryCursor? = nil
    )
        throws -> QueryResult
    {
        try query(PreparedQuery(text), in: namespace, QueryRequest(limit: limit, cursor: cursor))
    }

    /// Runs a prepared query on `namespace`; a namespace that does not exist has no matches.
    public func query(
        _ query: PreparedQuery, in namespace: Namespace = .default, _ request: QueryRequest = QueryRequest()
    )
        throws -> QueryResult
    {
        try read { snapshot in
            guard let reader = try snapshot.namespace(namespace) else {
                return QueryResult(
                    count: request.includeCount ? 0 : nil, ordinals: [], assets: [], nextCursor: nil,
                    facets: request.facets.map { QueryResult.Facet(label: $0, count: 0) }, warnings: [],
                    explanation: nil)
            }
            return try reader.run(query, request)
        }
    }
}
