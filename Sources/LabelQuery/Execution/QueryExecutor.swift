import LabelIndex
import Roaring

/// Runs an `ExecutionNode` tree over one snapshot, one 65,536-ordinal block at a time, so the
/// cost of a page follows the blocks it needs, not the size of the result. Every evaluation
/// of a node over a block is paid for from `meter` (see `QueryBudget`).
struct QueryExecutor {
    let root: ExecutionNode
    let universe: LazyUniverse
    let meter: WorkMeter

    var blockLimit: Int { universe.reader.blockLimit }

    // MARK: Blocks

    /// The blocks that can hold a match, ascending: those of the AND's smallest operand, the
    /// union of an OR's, every live block for anything negated.
    func candidateBlocks(_ node: ExecutionNode) throws -> [UInt16] {
        switch node.operation {
        case .empty: return []
        case .list(let list): return try list.blocks()
        case .literal(let literal): return literal.blocks
        case .and(let positive, _):
            guard let driver = positive.first else { return try universe.list().blocks() }
            return try candidateBlocks(driver)
        case .or(let positive, let negative):
            if !negative.isEmpty { return try universe.list().blocks() }
            var blocks = Set<UInt16>()
            for operand in positive { blocks.formUnion(try candidateBlocks(operand)) }
            return blocks.sorted()
        }
    }

    /// Decodes every stored list the query reads, for paths that visit every block anyway
    /// (counts, facets, full matches): later blocks then cost no lookups.
    func loadLists() throws {
        for list in root.lists { try list.load() }
        if universe.isOpened { try universe.list().load() }
    }

    /// The first block ≥ `block` that can hold a match: a leapfrog over the AND's positive
    /// operands, each a seek in its own list, until all agree.
    func nextCandidate(_ node: ExecutionNode, atOrAfter block: UInt16) throws -> UInt16? {
        switch node.operation {
        case .empty: return nil
        case .list(let list): return try list.nextBlock(atOrAfter: block)
        case .literal(let literal): return literal.nextBlock(atOrAfter: block)
        case .and(let positive, _):
            guard !positive.isEmpty else { return try universe.list().nextBlock(atOrAfter: block) }
            var target = block
            var agreed = 0
            var index = 0
            while agreed < positive.count {
                guard let next = try nextCandidate(positive[index], atOrAfter: target) else { return nil }
                if next == target {
                    agreed += 1
                } else {
                    target = next
                    agreed = 1
                }
                index = (index + 1) % positive.count
            }
            return target
        case .or(let positive, let negative):
            if !negative.isEmpty { return try universe.list().nextBlock(atOrAfter: block) }
            return try positive.compactMap { try nextCandidate($0, atOrAfter: block) }.min()
        }
    }

    /// The work estimate `QueryBudget` compares with `maxWork` before running: every leaf of
    /// the plan evaluated in every block that can hold a match. Stored counts answer some shapes
    /// without any block (`count()`), so this is an estimate for the shape, not a bound.
    func estimatedWork() throws -> Int {
        let leaves = root.leafCount
        guard leaves > 0 else { return 0 }
        let blocks = try candidateBlocks(root).count
        return leaves.multipliedReportingOverflow(by: blocks).overflow ? .max : leaves * blocks
    }

    // MARK: Evaluation

    /// The node's matches in `block`, or `nil` when there are none.
    func evaluate(_ node: ExecutionNode, in block: UInt16) throws -> RoaringBitmap? {
        try meter.spend()
        switch node.operation {
        case .empty:
            return nil
        case .list(let list):
            return try list.chunk(block)
        case .literal(let literal):
            return literal.chunk(block)
        case .and(let positive, let negative):
            guard var result = try intersect(positive, in: block) else { return nil }
            for operand in negative {
                guard let subtrahend = try evaluate(operand, in: block) else { continue }
                result = result.subtracting(subtrahend)
                if result.isEmpty { return nil }
            }
            return result
        case .or(let positive, let negative):
            let union = try unite(positive, in: block)
            guard !negative.isEmpty else { return union }
            // ⋃P ∪ (U − ⋂N) = U − (⋂N − ⋃P)
            guard let all = try universe.list().chunk(block) else { return nil }
            guard var excluded = try intersectOperands(negative[...], in: block) else { return all }
            if let union { excluded = excluded.subtracting(union) }
            let result = all.subtracting(excluded)
            return result.isEmpty ? nil : result
        }
    }

    /// ⋂ of the operands (the block's universe when there are none), stopping at the first
    /// empty intermediate.
    private func intersect(_ operands: [ExecutionNode], in block: UInt16) throws -> RoaringBitmap? {
        if operands.isEmpty { return try universe.list().chunk(block) }
        return try intersectOperands(operands[...], in: block)
    }

    private func intersectOperands(_ operands: ArraySlice<ExecutionNode>, in block: UInt16) throws -> RoaringBitmap? {
        guard let first = operands.first, var result = try evaluate(first, in: block) else { return nil }
        for operand in operands.dropFirst() {
            guard let next = try evaluate(operand, in: block) else { return nil }
            result = result.intersection(next)
            if result.isEmpty { return nil }
        }
        return result
    }

    private func unite(_ operands: [ExecutionNode], in block: UInt16) throws -> RoaringBitmap? {
        let parts = try operands.compactMap { try evaluate($0, in: block) }
        if parts.isEmpty { return nil }
        return RoaringBitmap.union(of: parts)
    }

    // MARK: Count

    /// The exact number of matches, from stored counts when the shape allows and otherwise
    /// with cardinality-only operations on the last step of each block.
    func count() throws -> Int {
        switch root.operation {
        case .empty: return 0
        case .list(let list): return list.count
        case .literal(let literal): return literal.all.count
        case .and(let positive, let negative) where positive.isEmpty && negative.count == 1 && negative[0].isLeaf:
            // NOT x: every stored list and literal is a subset of the universe.
            return try universe.list().count - (try Self(root: negative[0], universe: universe, meter: meter).count())
        default:
            try loadLists()
            let blocks = try candidateBlocks(root)
            var total = 0
            // The shape is matched once, not per block: binding the operands costs retains.
            switch root.operation {
            case .and(let positive, let negative) where !positive.isEmpty:
                for block in blocks { total += try countConjunction(positive, negative, in: block) }
            case .or(let positive, let negative) where negative.isEmpty && positive.count == 2:
                for block in blocks { total += try countUnion(positive[0], positive[1], in: block) }
            default:
                for block in blocks { total += try evaluate(root, in: block)?.count ?? 0 }
            }
            return total
        }
    }

    /// ⋂ positive − ⋃ negative in `block`: all but the last operation materialised, the last one
    /// counted without building it.
    private func countConjunction(
        _ positive: [ExecutionNode], _ negative: [ExecutionNode], in block: UInt16
    ) throws
        -> Int
    {
        if negative.isEmpty {
            if positive.count == 1 { return try evaluate(positive[0], in: block)?.count ?? 0 }
            guard let head = try intersectOperands(positive.dropLast(), in: block),
                let last = try evaluate(positive[positive.count - 1], in: block)
            else { return 0 }
            return head.intersectionCount(last)
        }
        guard var head = try intersectOperands(positive[...], in: block) else { return 0 }
        for operand in negative.dropLast() {
            if let subtrahend = try evaluate(operand, in: block) { head = head.subtracting(subtrahend) }
            if head.isEmpty { return 0 }
        }
        guard let last = try evaluate(negative[negative.count - 1], in: block) else { return head.count }
        return head.subtractingCount(last)
    }

    private func countUnion(_ first: ExecutionNode, _ second: ExecutionNode, in block: UInt16) throws -> Int {
        switch (try evaluate(first, in: block), try evaluate(second, in: block)) {
        case (let first?, let second?): first.unionCount(second)
        case (let first?, nil): first.count
        case (nil, let second?): second.count
        case (nil, nil): 0
        }
    }

    // MARK: Pages

    /// Up to `limit` matching ordinals greater than `after`, ascending, and whether more exist.
    /// Lists are read lazily: only the blocks up to the last one the page needs, and within a
    /// block only the words up to the last match the page needs (`WordPage`).
    func page(
        after: UInt32?, limit: Int, loadingListsUpTo smallNamespaceBlocks: Int
    ) throws -> (
        ordinals: [UInt32], hasMore: Bool
    ) {
        let start: UInt64 = after.map { UInt64($0) + 1 } ?? 0
        guard start <= UInt64(UInt32.max), limit > 0 else { return ([], false) }
        // In a namespace of few blocks, loading whole lists costs little more than one page and
        // leaves them in the shared cache, so the next page needs no lookups at all; in a large
        // namespace a page reads only the chunks it needs.
        if blockLimit <= smallNamespaceBlocks { try loadLists() }
        var ordinals: [UInt32] = []
        ordinals.reserveCapacity(limit + 1)
        var next: UInt16? = UInt16(truncatingIfNeeded: start >> 16)
        // Words pay off where a block holds many matches and the page needs few of them. A
        // sparse driver (under one match per 64 ordinals on average) makes materialising its
        // blocks as cheap; and once a block exhausts its word budget, the operands are dense
        // but rarely match together, and later blocks of the same lists look alike.
        var wordsPay = root.estimate > blockLimit << 10
        while let from = next, let block = try nextCandidate(root, atOrAfter: from) {
            next = block == UInt16.max ? nil : block + 1
            var first: UInt32? = max(UInt32(start), UInt32(block) << 16)
            if wordsPay, var words = try WordPage(root, block: block, executor: self), let from = first {
                // At most `WordPage.wordBudget` words of each operand: less than one evaluation
                // of the block, charged as one.
                try meter.spend(words.nodeCount)
                first = words.collect(from: from, into: &ordinals, capacity: limit + 1)
                wordsPay = first == nil
            }
            if let from = first, let matches = try evaluate(root, in: block) {
                matches.appendValues(from: from, limit: limit + 1 - ordinals.count, to: &ordinals)
            }
            if ordinals.count > limit {
                ordinals.removeLast()
                return (ordinals, true)
            }
        }
        return (ordinals, false)
    }

    /// Every match, as one bitmap.
    func allMatches() throws -> RoaringBitmap {
        try loadLists()
        var parts: [RoaringBitmap] = []
        for block in try candidateBlocks(root) {
            if let matches = try evaluate(root, in: block) { parts.append(matches) }
        }
        return RoaringBitmap.union(of: parts)
    }

    // MARK: Facets

    /// For each list, how many matches carry it.
    func facetCounts(_ lists: [PostingsList]) throws -> [Int] {
        var counts = [Int](repeating: 0, count: lists.count)
        guard !lists.isEmpty else { return counts }
        try loadLists()
        for list in lists { try list.load() }
        for block in try candidateBlocks(root) {
            guard let matches = try evaluate(root, in: block) else { continue }
            try meter.spend(lists.count)
            for (index, list) in lists.enumerated() {
                if let members = try list.chunk(block) { counts[index] += matches.intersectionCount(members) }
            }
        }
        return counts
    }
}
