import Roaring

/// The in-memory floor: one run-optimized CRoaring bitmap per label over asset ordinals, and
/// the cheapest CRoaring calls per query. No disk-backed engine can beat it, so it tells how
/// much of an engine's latency is storage and decoding rather than set algebra.
public struct MemoryFloor: Sendable {
    /// Bitmap of each label's asset ordinals, by label index.
    public private(set) var bitmaps: [RoaringBitmap]
    /// Every ordinal, `0..<assetCount` (what pure NOT subtracts from).
    public let universe: RoaringBitmap
    public let assetCount: Int

    /// Builds the bitmaps of `workload`.
    public init(_ workload: Workload) {
        assetCount = workload.assets.count
        universe = RoaringBitmap(range: 0..<UInt32(assetCount))
        bitmaps = workload.labelPostings().map { postings in
            var bitmap = RoaringBitmap(postings)
            bitmap.runOptimize()
            return bitmap
        }
    }

    /// Gives the asset at `ordinal` the label; returns whether it was absent.
    @discardableResult
    public mutating func add(ordinal: Int, label: Int) -> Bool { bitmaps[label].insert(UInt32(ordinal)) }

    /// Takes the label off the asset at `ordinal`; returns whether it was present.
    @discardableResult
    public mutating func remove(ordinal: Int, label: Int) -> Bool { bitmaps[label].remove(UInt32(ordinal)) }

    /// Number of assets matching `query`.
    public func count(_ query: BenchQuery) -> Int { count(query.expression.flattened) }

    /// The first `limit` ordinals matching `query`, ascending.
    public func firstPage(_ query: BenchQuery, limit: Int = 100) -> [UInt32] {
        evaluate(query.expression.flattened).values(from: 0, limit: limit)
    }

    /// Every ordinal matching `expression`.
    public func evaluate(_ expression: ShapeExpression) -> RoaringBitmap {
        switch expression {
        case .label(let label):
            return bitmaps[label]
        case .not(let operand):
            return universe.subtracting(evaluate(operand))
        case .or(let operands):
            return RoaringBitmap.union(of: operands.map(evaluate))
        case .and(let operands):
            let (positives, negatives) = split(operands)
            var result: RoaringBitmap
            var remainingNegatives = negatives[...]
            switch positives.count {
            case 0:
                result = universe.subtracting(remainingNegatives.popFirst()!)
            case 1:
                // Subtract into a fresh bitmap rather than copying the label's bitmap first.
                result =
                    remainingNegatives.isEmpty ? positives[0] : positives[0].subtracting(remainingNegatives.popFirst()!)
            default:
                result = positives[0].intersection(positives[1])
                for positive in positives.dropFirst(2) { result.formIntersection(positive) }
            }
            for negative in remainingNegatives { result.subtract(negative) }
            return result
        }
    }

    /// Counts without materialising the last (often the largest) operation.
    private func count(_ expression: ShapeExpression) -> Int {
        switch expression {
        case .label(let label):
            return bitmaps[label].count
        case .not(let operand):
            return assetCount - count(operand)
        case .or(let operands):
            if operands.count == 2 { return evaluate(operands[0]).unionCount(evaluate(operands[1])) }
            return RoaringBitmap.union(of: operands.map(evaluate)).count
        case .and(let operands):
            let (positives, negatives) = split(operands)
            if positives.isEmpty {
                // |U − (N1 ∪ N2 …)| = |U| − |N1 ∪ N2 …|, since every set is within U.
                return assetCount - RoaringBitmap.union(of: negatives).count
            }
            if negatives.isEmpty {
                if positives.count == 1 { return positives[0].count }
                var partial = positives[0]
                if positives.count > 2 {
                    partial = positives[0].intersection(positives[1])
                    for positive in positives.dropFirst(2).dropLast() { partial.formIntersection(positive) }
                }
                return partial.intersectionCount(positives[positives.count - 1])
            }
            var partial: RoaringBitmap
            if positives.count == 1 {
                partial = positives[0]
            } else {
                partial = positives[0].intersection(positives[1])
                for positive in positives.dropFirst(2) { partial.formIntersection(positive) }
            }
            var lastNegatives = negatives[...]
            let last = lastNegatives.popLast()!
            if let first = lastNegatives.popFirst() {
                partial = partial.subtracting(first)
                for negative in lastNegatives { partial.subtract(negative) }
            }
            return partial.subtractingCount(last)
        }
    }

    /// Evaluated AND operands: positives smallest first (intersections shrink fastest that
    /// way), and the operands of the NOTs.
    private func split(_ operands: [ShapeExpression]) -> (positives: [RoaringBitmap], negatives: [RoaringBitmap]) {
        var positives: [RoaringBitmap] = []
        var negatives: [RoaringBitmap] = []
        for operand in operands {
            if case .not(let negated) = operand {
                negatives.append(evaluate(negated))
            } else {
                positives.append(evaluate(operand))
            }
        }
        if positives.count > 1 {
            let sizes = positives.map(\.count)
            positives = positives.indices.sorted { sizes[$0] < sizes[$1] }.map { positives[$0] }
        }
        return (positives, negatives)
    }
}
