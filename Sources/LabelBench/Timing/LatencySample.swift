/// Per-call latencies of one measured operation, with the statistics the reports print.
public struct LatencySample: Hashable, Codable, Sendable {
    /// Each measured call's duration in nanoseconds, in call order.
    public let nanoseconds: [Int64]
    /// The same, ascending.
    private let sorted: [Int64]

    /// A sample of the given durations (at least one).
    public init(nanoseconds: [Int64]) {
        precondition(!nanoseconds.isEmpty, "a latency sample needs at least one measurement")
        self.nanoseconds = nanoseconds
        sorted = nanoseconds.sorted()
    }

    /// Runs `body` `warmUp` times unmeasured (to fill caches and compile statements), then
    /// `iterations` times, timing each call on the monotonic `ContinuousClock`.
    public static func measure<Result>(
        iterations: Int, warmUp: Int = 3, _ body: () throws -> Result
    ) rethrows -> LatencySample {
        precondition(iterations > 0, "iterations must be positive")
        for _ in 0..<warmUp { consume(try body()) }
        let clock = ContinuousClock()
        var durations: [Int64] = []
        durations.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = clock.now
            let result = try body()
            let elapsed = clock.now - start
            consume(result)
            durations.append(Self.nanoseconds(elapsed))
        }
        return LatencySample(nanoseconds: durations)
    }

    /// Whole nanoseconds in `duration`.
    public static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    public var count: Int { sorted.count }
    public var minimum: Int64 { sorted[0] }
    public var maximum: Int64 { sorted[sorted.count - 1] }

    /// The middle value; the mean of the two middle ones for an even count.
    public var median: Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1
            ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
    }

    /// The 99th percentile by the nearest-rank method: the smallest value at or above 99% of
    /// the sample.
    public var p99: Int64 { percentile(99) }

    /// The nearest-rank percentile `percent` (0 < percent ≤ 100).
    public func percentile(_ percent: Double) -> Int64 {
        precondition(percent > 0 && percent <= 100, "percentile must be in (0, 100]")
        let rank = Int((percent * Double(sorted.count) / 100).rounded(.up))
        return sorted[max(1, rank) - 1]
    }

    public var mean: Double { Double(sorted.reduce(0, +)) / Double(sorted.count) }

    private enum CodingKeys: String, CodingKey {
        case nanoseconds
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self).decode([Int64].self, forKey: .nanoseconds)
        guard !values.isEmpty else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a latency sample needs a measurement"))
        }
        self.init(nanoseconds: values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nanoseconds, forKey: .nanoseconds)
    }
}

/// Keeps the optimiser from discarding a measured call's result.
@inline(never)
private func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
