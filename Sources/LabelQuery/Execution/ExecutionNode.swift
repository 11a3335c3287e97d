import LabelIndex
import Roaring

/// A plan node prepared to run: `and`/`or` split into positive and negative operands, AND
/// operands ordered by their stored cardinality (smallest first), and the estimates `explain`
/// reports.
///
/// - `and(positive, negative)` = ⋂ positive − ⋃ negative (the universe when `positive` is empty)
/// - `or(positive, negative)` = ⋃ positive ∪ (universe − ⋂ negative)
///
/// Stored lists are read through `PostingsList`s: complete and in memory when the shared cache
/// has them at their current version, otherwise one chunk at a time.
final class ExecutionNode {
    enum Operation {
        case empty
        /// A stored list: a label's, the labelled set, or the universe.
        case list(PostingsList)
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

    /// The leaves (stored lists, literals, nothing) under this node, counted once per occurrence.
    var leafCount: Int {
        switch operation {
        case .and(let positive, let negative), .or(let positive, let negative):
            positive.reduce(0) { $0 + $1.leafCount } + negative.reduce(0) { $0 + $1.leafCount }
        default: 1
        }
    }

    /// The stored lists this node reads.
    var lists: [PostingsList] {
        if case .list(let list) = operation { return [list] }
        return children.flatMap(\.lists)
    }
}

/// Builds `ExecutionNode`s for one run, sharing one `PostingsList` per stored list.
struct ExecutionBuilder {
    let reader: NamespaceReader
    let universe: LazyUniverse
    /// The lists opened so far: searched linearly while few (most queries name a handful, and
    /// a dictionary costs more to create than the search), indexed when many.
    private var fewLists: [(PostingList, PostingsList)] = []
    private var manyLists: [PostingList: PostingsList] = [:]
    private static let fewListsLimit = 16

    init(reader: NamespaceReader) {
        self.reader = reader
        universe = LazyUniverse(reader: reader)
    }

    mutating func list(_ list: PostingList) throws -> PostingsList {
        if list == .universe { return try universe.list() }
        if let existing = fewLists.first(where: { $0.0 == list })?.1 ?? manyLists[list] { return existing }
        let made = try reader.postingsList(list)
        if fewLists.count < Self.fewListsLimit {
            fewLists.append((list, made))
        } else {
            manyLists[list] = made
        }
        return made
    }

    /// The node for a normalised plan; AND operands ordered by their stored cardinality.
    mutating func make(_ plan: PlanNode) throws -> ExecutionNode {
        switch plan {
        case .universe:
            let all = try universe.list()
            return ExecutionNode(operation: .list(all), plan: plan, estimate: all.count)
        case .empty:
            return ExecutionNode(operation: .empty, plan: plan, estimate: 0)
        case .list(let stored):
            let postings = try list(stored.list)
            return ExecutionNode(operation: .list(postings), plan: plan, estimate: postings.count)
        case .literal(let literal):
            return ExecutionNode(
                operation: .literal(BlockedLiteral(literal.ordinals)), plan: plan, estimate: literal.ordinals.count)
        case .not:
            // Only a top-level NOT reaches here (inside AND/OR it becomes a negative operand).
            return try make(.and([plan]))
        case .and(let operands):
            let (positive, negative) = try split(operands)
            let sortedPositive = positive.sorted { $0.estimate < $1.estimate }
            // The largest subtrahend first: it shrinks the intermediate result the most.
            let sortedNegative = negative.sorted { $0.estimate > $1.estimate }
            let estimate = try sortedPositive.first?.estimate ?? universe.list().count
            return ExecutionNode(
                operation: .and(positive: sortedPositive, negative: sortedNegative), plan: plan, estimate: estimate)
        case .or(let operands):
            let (positive, negative) = try split(operands)
            let total = positive.reduce(0) { $0 + $1.estimate }
            let estimate = negative.isEmpty ? min(reader.assetCount, total) : reader.assetCount
            return ExecutionNode(operation: .or(positive: positive, negative: negative), plan: plan, estimate: estimate)
        }
    }

    private mutating func split(_ operands: [PlanNode]) throws -> ([ExecutionNode], [ExecutionNode]) {
        var positive: [ExecutionNode] = []
        var negative: [ExecutionNode] = []
        for operand in operands {
            if case .not(let inner) = operand {
                negative.append(try make(inner))
            } else {
                positive.append(try make(operand))
            }
        }
        return (positive, negative)
    }
}

/// The universe list, opened only when a query needs it (for NOT, `*`, `no:label`).
final class LazyUniverse {
    let reader: NamespaceReader
    private var opened: PostingsList?

    init(reader: NamespaceReader) { self.reader = reader }

    func list() throws -> PostingsList {
        if let opened { return opened }
        let list = try reader.postingsList(.universe)
        opened = list
        return list
    }

    var isOpened: Bool { opened != nil }
}

/// A literal asset set cut into the same 65,536-ordinal blocks as the postings.
struct BlockedLiteral {
    let all: RoaringBitmap
    private let chunks: [UInt16: RoaringBitmap]
    /// The blocks with members, ascending.
    let blocks: [UInt16]

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
        blocks = chunks.keys.sorted()
    }

    func chunk(_ block: UInt16) -> RoaringBitmap? { chunks[block] }

    func nextBlock(atOrAfter block: UInt16) -> UInt16? {
        var low = 0
        var high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle] < block { low = middle + 1 } else { high = middle }
        }
        return low < blocks.count ? blocks[low] : nil
    }
}
