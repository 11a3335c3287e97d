/// Draws exactly `k` distinct members of a candidate list, in time proportional to `k` for
/// sparse draws, so that generating 1M assets × 8 labels stays linear.
struct MembershipSampler {
    private var random: Xoshiro256StarStar
    /// One bit per candidate position, all clear between calls.
    private var taken: [UInt64]

    init(random: Xoshiro256StarStar, capacity: Int) {
        self.random = random
        taken = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    /// `k` distinct elements of `candidates` (k ≤ candidates.count). Dense draws come out in
    /// candidate order, sparse ones in draw order.
    mutating func choose(_ k: Int, from candidates: [UInt32]) -> [UInt32] {
        let total = candidates.count
        precondition(k <= total, "cannot choose \(k) of \(total)")
        var chosen: [UInt32] = []
        chosen.reserveCapacity(k)
        if k * 4 >= total {
            // Selection sampling (Knuth's algorithm S): one pass, exact count.
            var needed = k
            for position in 0..<total where needed > 0 {
                if random.bounded(UInt64(total - position)) < UInt64(needed) {
                    chosen.append(candidates[position])
                    needed -= 1
                }
            }
        } else {
            // Rejection against a bitset: at most 4/3 draws per member when k < total / 4.
            var positions: [Int] = []
            positions.reserveCapacity(k)
            while positions.count < k {
                let position = random.index(below: total)
                let word = position >> 6
                let bit = UInt64(1) << UInt64(position & 63)
                if taken[word] & bit == 0 {
                    taken[word] |= bit
                    positions.append(position)
                }
            }
            for position in positions {
                taken[position >> 6] = 0
                chosen.append(candidates[position])
            }
        }
        return chosen
    }
}
