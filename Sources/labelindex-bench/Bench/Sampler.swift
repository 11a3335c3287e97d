import LabelBench

/// Times repeated calls of one operation: `repeatCount` calls, but stopping early once `budget`
/// has passed (after at least `minimumIterations`), so that a slow baseline on a large workload
/// cannot stretch a run to hours while fast operations still get their full sample.
struct Sampler {
    var repeatCount: Int
    var budget: Duration
    var warmUp = 3
    var minimumIterations = 5

    func measure<Result>(_ body: () throws -> Result) throws -> LatencySample {
        for _ in 0..<warmUp { _ = try body() }
        let clock = ContinuousClock()
        let start = clock.now
        var durations: [Int64] = []
        durations.reserveCapacity(repeatCount)
        while durations.count < repeatCount {
            let before = clock.now
            let result = try body()
            let after = clock.now
            withExtendedLifetime(result) {}
            durations.append(LatencySample.nanoseconds(after - before))
            if durations.count >= minimumIterations && after - start >= budget { break }
        }
        return LatencySample(nanoseconds: durations)
    }
}
