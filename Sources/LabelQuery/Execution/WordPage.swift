import LabelIndex
import Roaring

/// The first matches in one block, computed 64 ordinals at a time: each stored list's chunk is
/// read through a `BlockWordCursor`, the query combines their words with AND, OR and NOT, and
/// the evaluation stops as soon as the page is full. A page of 100 results from a block where
/// half a million assets match costs a handful of words, not a 64K-bit intersection and the
/// extraction of its result.
///
/// The tree is kept flat (nodes and operand lists in arrays, referred to by index): the word
/// loop runs per 64 ordinals, and pattern-matching enum payloads there would retain and
/// release arrays on every step.
struct WordPage {
    private enum Kind: UInt8 {
        case nothing
        case leaf
        /// ⋂ positive − ⋃ negative (`positive` is never empty here).
        case and
        /// ⋃ positive ∪ (universe − ⋂ negative).
        case or
    }

    private struct Node {
        var kind: Kind
        var cursor = 0
        var positive: Range<Int> = 0..<0
        var negative: Range<Int> = 0..<0
    }

    private var nodes: [Node] = []
    private var operands: [Int] = []
    private var cursors: [BlockWordCursor] = []
    private var universe: Int?
    private var root = 0
    private let block: UInt16

    /// The evaluator for `node` in `block`, or `nil` when a chunk cannot be read word by word
    /// (the caller then materialises the block instead).
    init?(_ node: ExecutionNode, block: UInt16, executor: QueryExecutor) throws {
        self.block = block
        guard let root = try build(node, executor) else { return nil }
        self.root = root
    }

    /// The nodes of the flattened tree, what one block of word-level evaluation is charged.
    var nodeCount: Int { nodes.count }

    // MARK: Building

    private mutating func add(_ node: Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    private mutating func nothing() -> Int { add(Node(kind: .nothing)) }

    private mutating func build(_ node: ExecutionNode, _ executor: QueryExecutor) throws -> Int? {
        switch node.operation {
        case .empty:
            return nothing()
        case .list(let list):
            return leaf(try list.chunk(block))
        case .literal(let literal):
            return leaf(literal.chunk(block))
        case .and(let positive, let negative):
            var positives: [Int] = []
            for operand in positive {
                guard let built = try build(operand, executor) else { return nil }
                if nodes[built].kind == .nothing { return nothing() }
                positives.append(built)
            }
            if positives.isEmpty {
                guard let all = try universeLeaf(executor) else { return nil }
                positives = [all]
            }
            var negatives: [Int] = []
            for operand in negative {
                guard let built = try build(operand, executor) else { return nil }
                if nodes[built].kind != .nothing { negatives.append(built) }
            }
            return add(Node(kind: .and, positive: store(positives), negative: store(negatives)))
        case .or(let positive, let negative):
            var positives: [Int] = []
            for operand in positive {
                guard let built = try build(operand, executor) else { return nil }
                if nodes[built].kind != .nothing { positives.append(built) }
            }
            var negatives: [Int] = []
            for operand in negative {
                guard let built = try build(operand, executor) else { return nil }
                // An empty operand empties ⋂ negative: the whole universe matches.
                if nodes[built].kind == .nothing { return try universeLeaf(executor) }
                negatives.append(built)
            }
            if !negatives.isEmpty, try universeLeaf(executor) == nil { return nil }
            return add(Node(kind: .or, positive: store(positives), negative: store(negatives)))
        }
    }

    private mutating func store(_ indices: [Int]) -> Range<Int> {
        let start = operands.count
        operands.append(contentsOf: indices)
        return start..<operands.count
    }

    private mutating func leaf(_ chunk: RoaringBitmap?) -> Int? {
        guard let chunk else { return nothing() }
        guard let cursor = BlockWordCursor(chunk) else { return nil }
        cursors.append(cursor)
        return add(Node(kind: .leaf, cursor: cursors.count - 1))
    }

    private mutating func universeLeaf(_ executor: QueryExecutor) throws -> Int? {
        if let universe { return universe }
        guard let node = leaf(try executor.universe.list().chunk(block)) else { return nil }
        if nodes[node].kind == .leaf { universe = node }
        return node
    }

    // MARK: Evaluation

    private mutating func word(_ index: Int, _ word: Int) -> UInt64 {
        let node = nodes[index]
        switch node.kind {
        case .nothing:
            return 0
        case .leaf:
            return cursors[node.cursor].word(at: word)
        case .and:
            var result = UInt64.max
            for operand in node.positive {
                result &= self.word(operands[operand], word)
                if result == 0 { return 0 }
            }
            for operand in node.negative {
                result &= ~self.word(operands[operand], word)
                if result == 0 { return 0 }
            }
            return result
        case .or:
            var result: UInt64 = 0
            for operand in node.positive { result |= self.word(operands[operand], word) }
            if let universe, !node.negative.isEmpty {
                var excluded = UInt64.max
                for operand in node.negative {
                    excluded &= self.word(operands[operand], word)
                    if excluded == 0 { break }
                }
                result |= self.word(universe, word) & ~excluded
            }
            return result
        }
    }

    /// The first word ≥ `from` that can hold a match (a leapfrog over an AND's operands).
    private mutating func next(_ index: Int, from: Int) -> Int? {
        let node = nodes[index]
        switch node.kind {
        case .nothing:
            return nil
        case .leaf:
            return cursors[node.cursor].nextNonZeroWord(from: from)
        case .and:
            var target = from
            var agreed = 0
            var position = node.positive.lowerBound
            while agreed < node.positive.count {
                guard let found = next(operands[position], from: target) else { return nil }
                if found == target {
                    agreed += 1
                } else {
                    target = found
                    agreed = 1
                }
                position = position + 1 == node.positive.upperBound ? node.positive.lowerBound : position + 1
            }
            return target
        case .or:
            if let universe, !node.negative.isEmpty { return next(universe, from: from) }
            var best: Int?
            for operand in node.positive {
                if let found = next(operands[operand], from: from), found < best ?? Int.max { best = found }
            }
            return best
        }
    }

    /// Candidate words visited in one block before giving up on word-level evaluation. Dense
    /// operands that rarely match together (two large disjoint labels) make nearly every word a
    /// candidate; past this many, one vectorised bitmap operation on the rest of the block is
    /// cheaper.
    static let wordBudget = 128

    /// Appends this block's matches ≥ `start` to `ordinals` until it holds `capacity` values.
    /// Returns `nil` when the block is done, or the ordinal where it stopped because the word
    /// budget ran out (the caller finishes the block with bitmap operations from there).
    mutating func collect(from start: UInt32, into ordinals: inout [UInt32], capacity: Int) -> UInt32? {
        let base = UInt32(block) << 16
        let first = start > base ? Int(start - base) : 0
        var index = first >> 6
        var visited = 0
        while ordinals.count < capacity, let found = next(root, from: index) {
            visited += 1
            if visited > Self.wordBudget { return base | UInt32(max(found << 6, first)) }
            var bits = word(root, found)
            if found == first >> 6 { bits &= ~((1 << UInt64(first & 63)) - 1) }
            while bits != 0 && ordinals.count < capacity {
                ordinals.append(base | UInt32(found << 6 | bits.trailingZeroBitCount))
                bits &= bits - 1
            }
            index = found + 1
        }
        return nil
    }
}
