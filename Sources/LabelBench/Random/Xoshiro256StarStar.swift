/// xoshiro256** (Blackman & Vigna): the workload generator's pseudo-random source.
///
/// Everything derived from it uses integer arithmetic only (`bounded(_:)` is Lemire's
/// multiply-shift method, `shuffle` is our own Fisher–Yates), never the standard library's
/// `random(in:using:)` or `shuffled(using:)`, whose algorithms are not guaranteed to stay the
/// same across Swift versions; a seed therefore gives byte-identical workloads everywhere.
public struct Xoshiro256StarStar: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator seeded through SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// A generator with exactly this state (not all zero), for checking published vectors.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    /// An independent stream for one part of the workload, so that changing how many numbers
    /// one part draws never shifts the numbers another part sees.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: mixer.next())
    }

    /// The next 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        let result = rotated(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotated(s3, by: 45)
        return result
    }

    /// A uniform value in `0..<bound` (Lemire's nearly divisionless method, unbiased).
    public mutating func bounded(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform index in `0..<bound`.
    public mutating func index(below bound: Int) -> Int {
        Int(bounded(UInt64(bound)))
    }

    /// A uniform value in `0..<1` with 53 bits of precision.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Shuffles `elements` in place (Fisher–Yates, last position first).
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ elements: inout C) {
        var remaining = elements.count
        var position = elements.endIndex
        while remaining > 1 {
            position = elements.index(before: position)
            let other = elements.index(elements.startIndex, offsetBy: index(below: remaining))
            elements.swapAt(position, other)
            remaining -= 1
        }
    }
}

@inline(__always) private func rotated(_ value: UInt64, by amount: UInt64) -> UInt64 {
    (value << amount) | (value >> (64 - amount))
}
