import LabelIndex
import Synchronization

/// A query parsed once and run many times. The plan (label names resolved to postings lists,
/// normalised) is cached per namespace and label-dictionary version, so repeated runs skip
/// parsing and planning until a label is created, renamed, moved or deleted. Queries with
/// literal asset lists are re-resolved on every run (assets come and go).
///
/// A prepared query is `Sendable`: share it between threads and requests.
public final class PreparedQuery: Sendable, CustomStringConvertible {
    public let expression: QueryExpression
    /// The canonical text of the query.
    public let text: String
    let fingerprint: UInt32
    /// `QueryLimits.maxExpandedLabels`, checked whenever the query is planned.
    let maxExpandedLabels: Int
    private let hasAssetLiterals: Bool
    private let cache = Mutex<CachedPlan?>(nil)

    private struct CachedPlan {
        var version: LabelDictionaryVersion
        var plan: PlanNode
        var warnings: [QueryWarning]
        var expandedLabels: Int
    }

    /// Parses `text`.
    public convenience init(_ text: String, limits: QueryLimits = QueryLimits()) throws(QueryError) {
        let expression: QueryExpression
        do { expression = try QueryParser(limits: limits).parse(text) } catch { throw .syntax(error) }
        try self.init(expression, limits: limits)
    }

    /// Wraps an expression built in code; it is checked against the same depth limit as parsed
    /// text, because planning walks it recursively, and planned under `limits.maxExpandedLabels`.
    public init(_ expression: QueryExpression, limits: QueryLimits = QueryLimits()) throws(QueryError) {
        let maxDepth = limits.maxDepth
        var hasAssetLiterals = false
        var stack: [(QueryExpression, Int)] = [(expression, 1)]
        while let (node, depth) = stack.popLast() {
            guard depth <= maxDepth else { throw .tooDeep(limit: maxDepth) }
            switch node {
            case .not(let operand): stack.append((operand, depth + 1))
            case .and(let operands), .or(let operands): stack.append(contentsOf: operands.map { ($0, depth + 1) })
            case .assets: hasAssetLiterals = true
            case .all, .labels, .under, .hasLabel, .noLabel: break
            }
        }
        self.expression = expression
        self.text = expression.canonicalText
        self.hasAssetLiterals = hasAssetLiterals
        self.maxExpandedLabels = limits.maxExpandedLabels
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        self.fingerprint = hash
    }

    public var description: String { text }

    /// The normalised plan for `reader`'s namespace, from the cache when still valid, with the
    /// labels it reaches bounded by `maxExpandedLabels` and by `budget.maxExpandedLabels`.
    func plan(for reader: NamespaceReader, budget: QueryBudget) throws -> (PlanNode, [QueryWarning]) {
        let limit = min(maxExpandedLabels, budget.maxExpandedLabels ?? .max)
        let version = reader.labelDictionaryVersion
        // A writer's dictionary may never commit, so only snapshots share plans.
        let cacheable = !hasAssetLiterals && !(reader is NamespaceWriter)
        if cacheable, let cached = cache.withLock({ $0 }), cached.version == version {
            if cached.expandedLabels > limit {
                throw QueryError.tooManyExpandedLabels(limit: limit, found: cached.expandedLabels)
            }
            return (cached.plan, cached.warnings)
        }
        var planner = QueryPlanner(reader: reader, maxExpandedLabels: limit, cancellation: budget.cancellation)
        let plan = try planner.plan(expression)
        if cacheable {
            let entry = CachedPlan(
                version: version, plan: plan, warnings: planner.warnings, expandedLabels: planner.expandedLabels)
            cache.withLock { $0 = entry }
        }
        return (plan, planner.warnings)
    }
}
