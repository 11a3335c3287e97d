import LabelTestSupport
import Testing

@testable import LabelIndex

@Suite struct RecordGroupTests {
    /// Random slot writes and removals agree with a dictionary of slot → bytes.
    @Test func splicingAgreesWithAModel() throws {
        var random = SeededGenerator(seed: 5)
        var model: [Int: [UInt8]] = [:]
        var group: [UInt8]?
        for _ in 0..<2_000 {
            let slot = Int.random(in: 0..<RecordGroup.slots, using: &random)
            let record: [UInt8]? =
                Bool.random(using: &random)
                ? (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                : nil
            model[slot] = record
            group =
                try group.map { bytes in
                    try bytes.withUnsafeBytes { try RecordGroup.replacing(slot: slot, with: record, in: $0) }
                }
                ?? RecordGroup.replacing(slot: slot, with: record, in: nil)
            guard let bytes = group else {
                #expect(model.isEmpty, "an empty group is removed only when no record is left")
                continue
            }
            var decoded: [Int: [UInt8]] = [:]
            try bytes.withUnsafeBytes { raw in
                try RecordGroup.forEach(in: raw) { slot, record in decoded[slot] = Array(record) }
                for slot in 0..<RecordGroup.slots {
                    #expect(try RecordGroup.record(in: raw, slot: slot).map { Array($0) } == model[slot])
                }
            }
            #expect(decoded == model)
        }
    }

    @Test func damagedGroupsAreReportedNotTrapped() throws {
        let group = RecordGroup.encode([(0, [1, 2, 3]), (5, [4])])
        for cut in 0..<group.count {
            let truncated = Array(group[0..<cut])
            #expect(throws: LabelIndexError.self) {
                try truncated.withUnsafeBytes { raw in try RecordGroup.forEach(in: raw) { _, _ in } }
            }
        }
    }
}
