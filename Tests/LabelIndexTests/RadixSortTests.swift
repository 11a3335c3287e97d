import LabelTestSupport
import Testing

@testable import LabelIndex

@Suite struct RadixSortTests {
    /// Random keys of several shapes (full range, small ids whose high digits are all equal,
    /// many duplicates), below and above the comparison-sort threshold; the result must equal
    /// a stable comparison sort (equal keys keep their input order, told apart by the value).
    @Test(arguments: [0, 1, 100, RadixSort.threshold - 1, RadixSort.threshold, 50_000])
    func matchesAStableComparisonSort(count: Int) {
        var random = SeededGenerator(seed: UInt64(count) + 1)
        let shapes: [(inout SeededGenerator) -> UInt64] = [
            { UInt64.random(in: .min ... .max, using: &$0) },
            { UInt64.random(in: 0..<1_000_000, using: &$0) ^ (1 << 63) },
            { UInt64.random(in: 0..<64, using: &$0) << 40 },
        ]
        for shape in shapes {
            var entries = (0..<count).map { (shape(&random), UInt32($0)) }
            var expected = entries
            expected.sort { $0.0 < $1.0 }
            RadixSort.sortByKey(&entries)
            #expect(entries.map(\.0) == expected.map(\.0))
            #expect(entries.map(\.1) == expected.map(\.1))
        }
    }

    @Test(arguments: [0, 1, RadixSort.threshold - 1, RadixSort.threshold, 50_000])
    func sortsPlainValues(count: Int) {
        var random = SeededGenerator(seed: UInt64(count) + 7)
        var values = (0..<count).map { _ in UInt64.random(in: 0..<UInt64(1) << 52, using: &random) }
        let expected = values.sorted()
        RadixSort.sort(&values)
        #expect(values == expected)
    }
}
