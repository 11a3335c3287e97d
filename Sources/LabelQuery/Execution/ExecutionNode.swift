import LabelIndex
import Roaring

/// A plan node prepared to run: `and`/`or` split into positive and negative operands, AND
/// operands ordered by their stored cardinality (smallest first), and the estimates `explain`
/// reports.
///
/// - `and(positive, negative)` = ⋂ positive − ⋃ negative (the universe when `positive` is empty)
/// - `or(positive, negative)` = ⋃ positive ∪ (universe − ⋂ negative)
final class ExecutionNode {
    enum Operation {
        case universe
        case empty
        case list(PostingList)
        case literal(BlockedLiteral)
        case and(positive: [ExecutionNode], negative: [ExecutionNode])
        case or(positive: [ExecutionNode], negative: [ExecutionNode])
    }

    let operation: Operation
    let plan: PlanNode
    /// Upper bound on the matches, from stored counts only.
    let estimate: Int

    init(operation: Operation, plan: PlanNode, estimate: Int) {
        self.operation = operation
        self.plan = plan
        self.estimate = estimate
    }

    var children: [ExecutionNode] {
        switch operation {
        case .and(let positive, let negative), .or(let positive, let negative): positive + negative
        default: []
        }
    }

    var isLeaf: Bool { children.isEmpty }

    /// Builds the node for a normalised plan, reading the counts that order AND operands.
    static func make(_ plan: PlanNode, reader: NamespaceReader) throws -> ExecutionNode {
        let universe = reader.assetCount
        switch plan {
        case .universe:
            return ExecutionNode(operation: .universe, plan: plan, estimate: universe)
        case .empty:
            return ExecutionNode(operation: .empty, plan: plan, estimate: 0)
        case .list(let list):
            return ExecutionNode(operation: .list(list.list), plan: plan, estimate: try reader.cardinality(of: list.list))
        case .literal(let literal):
            return ExecutionNode(operation: .literal(BlockedLiteral(literal.ordinals)), plan: plan, estimate: literal.ordinals.count)
        case .not:
            // Only a top-level NOT reaches here (inside AND/OR it becomes a negative operand).
            return try make(.and([plan]), reader: reader)
        case .and(let operands):
            let (positive, negative) = try split(operands, reader: reader)
            let sortedPositive = positive.sorted { $0.estimate < $1.estimate }
            // The largest subtrahend first: it shrinks the intermediate result the most.
            let sortedNegative = negative.sorted { $0.estimate > $1.estimate }
            let estimate = sortedPositive.first?.estimate ?? universe
            return ExecutionNode(operation: .and(positive: sortedPositive, negative: sortedNegative), plan: plan, estimate: estimate)
        case .or(let operands):
            let (positive, negative) = try split(operands, reader: reader)
            let estimate = negative.isEmpty ? min(universe, positive.reduce(0) { $0 + $1.estimate }) : universe
            return ExecutionNode(operation: .or(positive: positive, negative: negative), plan: plan, estimate: estimate)
        }
    }

    private static func split(_ operands: [PlanNode], reader: NamespaceReader) throws -> ([ExecutionNode], [ExecutionNode]) {
        var positive: [ExecutionNode] = []
        var negative: [ExecutionNode] = []
        for operand in operands {
            if case .not(let inner) = operand {
                negative.append(try make(inner, reader: reader))
            } else {
                positive.append(try make(operand, reader: reader))
            }
        }
        return (positive, negative)
    }
}

/// A literal asset set cut into the same 65,536-ordinal blocks as the postings.
struct BlockedLiteral {
    let all: RoaringBitmap
    private let chunks: [UInt16: RoaringBitmap]

    init(_ ordinals: RoaringBitmap) {
        all = ordinals
        var chunks: [UInt16: RoaringBitmap] = [:]
        var block: UInt16?
        var current: [UInt32] = []
        for ordinal in ordinals {
            let ordinalBlock = UInt16(truncatingIfNeeded: ordinal >> 16)
            if ordinalBlock != block, let previous = block {
                chunks[previous] = RoaringBitmap(current)
                current.removeAll(keepingCapacity: true)
            }
            block = ordinalBlock
            current.append(ordinal)
        }
        if let block { chunks[block] = RoaringBitmap(current) }
        self.chunks = chunks
    }

    func chunk(_ block: UInt16) -> RoaringBitmap? { chunks[block] }
    var blocks: [UInt16] { chunks.keys.sorted() }
}
