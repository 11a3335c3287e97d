import LabelIndex
import Roaring

/// Turns a parsed query into a `PlanNode` for one namespace snapshot: label names become
/// postings lists (prefixes through a range scan of the name index, `under:` through the
/// hierarchy), asset ids become ordinals, and the result is normalised. The labels prefixes and
/// `under:` reach are counted as they are resolved, so planning stops at the term that crosses
/// `maxExpandedLabels` instead of building a plan nobody may run, and planning a query that
/// reaches many labels stops as soon as the query is cancelled.
struct QueryPlanner {
    let reader: NamespaceReader
    let maxExpandedLabels: Int
    let cancellation: QueryCancellation?
    private(set) var warnings: [QueryWarning] = []
    /// Labels reached by the prefixes and `under:` terms planned so far.
    private(set) var expandedLabels = 0

    init(reader: NamespaceReader, maxExpandedLabels: Int, cancellation: QueryCancellation? = nil) {
        self.reader = reader
        self.maxExpandedLabels = maxExpandedLabels
        self.cancellation = cancellation
    }

    private mutating func countExpansion(_ labels: Int) throws(QueryError) {
        if cancellation?.isCancelled == true { throw .cancelled }
        expandedLabels += labels
        if expandedLabels > maxExpandedLabels {
            throw .tooManyExpandedLabels(limit: maxExpandedLabels, found: expandedLabels)
        }
    }

    mutating func plan(_ expression: QueryExpression) throws -> PlanNode {
        PlanNormalizer.normalize(try resolve(expression))
    }

    private mutating func resolve(_ expression: QueryExpression) throws -> PlanNode {
        switch expression {
        case .all:
            return .universe
        case .hasLabel:
            return .list(PlanList(list: .labelled, expression: .hasLabel))
        case .noLabel:
            return .not(.list(PlanList(list: .labelled, expression: .hasLabel)))
        case .labels(let patterns):
            return .or(try patterns.flatMap { try resolve($0) })
        case .under(let names):
            var nodes: [PlanNode] = []
            for name in names {
                guard let root = try reader.labelID(named: name) else {
                    try refuseIfAmbiguous(name)
                    warnings.append(.unknownLabel(name))
                    continue
                }
                let reached = [root] + (try reader.descendants(of: root))
                try countExpansion(reached.count)
                for id in reached { nodes.append(try labelNode(id)) }
            }
            return .or(nodes)
        case .assets(let references):
            let keys = references.map(\.assetKey)
            let (found, missing) = try reader.ordinals(of: keys)
            if !missing.isEmpty {
                warnings.append(
                    .unknownAssets(count: missing.count, examples: missing.prefix(3).map(AssetReference.init)))
            }
            return .literal(PlanLiteral(ordinals: found, expression: expression))
        case .not(let operand):
            return .not(try resolve(operand))
        case .and(let operands):
            return .and(try operands.map { try resolve($0) })
        case .or(let operands):
            return .or(try operands.map { try resolve($0) })
        }
    }

    private mutating func resolve(_ pattern: LabelPattern) throws -> [PlanNode] {
        switch pattern {
        case .exact(let name):
            guard let id = try reader.labelID(named: name) else {
                try refuseIfAmbiguous(name)
                warnings.append(.unknownLabel(name))
                return []
            }
            return [.list(PlanList(list: .label(id), expression: .labels([.exact(name)])))]
        case .prefix(""):
            // Every label: the same assets as has:label, without a union over the dictionary.
            return [.list(PlanList(list: .labelled, expression: .hasLabel))]
        case .prefix(let prefix):
            let labels = try reader.labelNames(withPrefix: prefix)
            if labels.isEmpty { warnings.append(.noLabelWithPrefix(prefix)) }
            try countExpansion(labels.count)
            return labels.map { .list(PlanList(list: .label($0.id), expression: .labels([.exact($0.name)]))) }
        }
    }

    /// A name that several labels below the root have, and no label has as its path, names
    /// none of them: the error lists the paths that do.
    private func refuseIfAmbiguous(_ name: String) throws {
        let namesakes = try reader.labelIDs(withName: name, limit: 5)
        guard namesakes.count > 1 else { return }
        throw QueryError.ambiguousLabel(name, paths: try namesakes.compactMap { try reader.label($0)?.path })
    }

    private func labelNode(_ id: LabelID) throws -> PlanNode {
        let name = try reader.label(id)?.path ?? String(id.rawValue)
        return .list(PlanList(list: .label(id), expression: .labels([.exact(name)])))
    }
}

extension AssetReference {
    var assetKey: AssetKey {
        switch self {
        case .id(let id): .id(id)
        case .typed(let type, let id): .typed(type: type, id: id)
        }
    }

    init(_ key: AssetKey) {
        switch key {
        case .id(let id): self = .id(id)
        case .typed(let type, let id): self = .typed(type: type, id: id)
        }
    }
}
