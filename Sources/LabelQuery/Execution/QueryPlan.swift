import LabelIndex
import Roaring

/// A query resolved against one snapshot's label dictionary and assets, in negation normal
/// form: every `not` wraps a leaf or nothing, `and`/`or` are flat, duplicate-free, and hold no
/// constants. This is the form `explain` prints and the executor runs.
indirect enum PlanNode: Hashable, Sendable {
    case universe
    case empty
    case list(PlanList)
    case literal(PlanLiteral)
    case not(PlanNode)
    case and([PlanNode])
    case or([PlanNode])
}

/// A stored postings list: a label's, or the set of labelled assets.
struct PlanList: Hashable, Sendable {
    let list: PostingList
    /// How the list is written in the normalised query (`label:"x"`, `has:label`).
    let expression: QueryExpression
}

/// A literal set of assets (`asset:1,2,…`), already resolved to ordinals.
struct PlanLiteral: Hashable, Sendable {
    let ordinals: RoaringBitmap
    let expression: QueryExpression

    static func == (lhs: PlanLiteral, rhs: PlanLiteral) -> Bool { lhs.ordinals == rhs.ordinals }
    func hash(into hasher: inout Hasher) { hasher.combine(ordinals.count) }
}

extension PlanNode {
    /// The node written back in the query language: the "normalised query" of `explain`.
    var expression: QueryExpression {
        switch self {
        case .universe: .all
        case .empty: .not(.all)
        case .list(let list): list.expression
        case .literal(let literal): literal.expression
        case .not(let node): .not(node.expression)
        case .and(let nodes): .and(nodes.map(\.expression))
        case .or(let nodes): .or(nodes.map(\.expression))
        }
    }
}

/// Negation normal form with constant folding. Inputs are bounded in depth by the parser's
/// limit (checked again before planning), so these functions recurse safely.
enum PlanNormalizer {
    static func normalize(_ node: PlanNode) -> PlanNode {
        switch node {
        case .not(let operand): negate(normalize(operand))
        case .and(let operands): makeAnd(operands.map(normalize))
        case .or(let operands): makeOr(operands.map(normalize))
        case .universe, .empty, .list, .literal: node
        }
    }

    /// NOT of a normalised node (De Morgan, double negation, constants).
    static func negate(_ node: PlanNode) -> PlanNode {
        switch node {
        case .universe: .empty
        case .empty: .universe
        case .not(let operand): operand
        case .and(let operands): makeOr(operands.map(negate))
        case .or(let operands): makeAnd(operands.map(negate))
        case .list, .literal: .not(node)
        }
    }

    static func makeAnd(_ operands: [PlanNode]) -> PlanNode {
        var flat: [PlanNode] = []
        for operand in operands {
            switch operand {
            case .and(let inner): flat.append(contentsOf: inner)
            case .universe: continue
            case .empty: return .empty
            default: flat.append(operand)
            }
        }
        let unique = deduplicated(flat)
        // x AND NOT x matches nothing.
        for case .not(let negated) in unique where unique.contains(negated) { return .empty }
        switch unique.count {
        case 0: return .universe
        case 1: return unique[0]
        default: return .and(unique)
        }
    }

    static func makeOr(_ operands: [PlanNode]) -> PlanNode {
        var flat: [PlanNode] = []
        for operand in operands {
            switch operand {
            case .or(let inner): flat.append(contentsOf: inner)
            case .empty: continue
            case .universe: return .universe
            default: flat.append(operand)
            }
        }
        let unique = deduplicated(flat)
        // x OR NOT x matches everything.
        for case .not(let negated) in unique where unique.contains(negated) { return .universe }
        switch unique.count {
        case 0: return .empty
        case 1: return unique[0]
        default: return .or(unique)
        }
    }

    private static func deduplicated(_ nodes: [PlanNode]) -> [PlanNode] {
        var seen = Set<PlanNode>()
        return nodes.filter { seen.insert($0).inserted }
    }
}
