import Testing

@testable import LabelBench

@Suite struct RandomTests {
    @Test func splitMix64MatchesReferenceVector() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func xoshiroMatchesReferenceVector() {
        var generator = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(generator.next() == 11520)
        #expect(generator.next() == 0)
        #expect(generator.next() == 1_509_978_240)
        #expect(generator.next() == 1_215_971_899_390_074_240)
    }

    @Test func xoshiroSeededThroughSplitMix() {
        var generator = Xoshiro256StarStar(seed: 42)
        #expect(generator.next() == 1_546_998_764_402_558_742)
        #expect(generator.next() == 6_990_951_692_964_543_102)
    }

    @Test func boundedStaysInRangeAndCoversIt() {
        var generator = Xoshiro256StarStar(seed: 7)
        var seen = Set<UInt64>()
        for _ in 0..<2_000 {
            let value = generator.bounded(10)
            #expect(value < 10)
            seen.insert(value)
        }
        #expect(seen.count == 10)
    }

    @Test func shuffleIsAPermutation() {
        var generator = Xoshiro256StarStar(seed: 9)
        var values = Array(0..<100)
        generator.shuffle(&values)
        #expect(values != Array(0..<100))
        #expect(values.sorted() == Array(0..<100))
    }

    @Test func samplerDrawsExactDistinctCounts() {
        var sampler = MembershipSampler(random: Xoshiro256StarStar(seed: 3), capacity: 1_000)
        let candidates = (0..<1_000).map { UInt32($0 * 3) }
        for k in [0, 1, 10, 249, 250, 700, 1_000] {
            let chosen = sampler.choose(k, from: candidates)
            #expect(chosen.count == k)
            #expect(Set(chosen).count == k)
            #expect(chosen.allSatisfy { $0 % 3 == 0 && $0 < 3_000 })
        }
    }
}
