import LabelTestSupport
import Testing

@testable import LabelIndex

@Suite struct OrdinalTableTests {
    @Test func agreesWithADictionary() {
        var random = SeededGenerator(seed: 9)
        var table = OrdinalTable(minimumCapacity: 4)
        var model: [Int64: UInt32] = [:]
        for step in 0..<50_000 {
            // Few distinct keys at first (overwrites), then many (growth), extremes included.
            let key: Int64 =
                step % 97 == 0
                ? [Int64.min, .max, 0, -1].randomElement(using: &random)!
                : Int64.random(in: -Int64(step / 10)...Int64(step / 10 + 1), using: &random)
            let value = UInt32.random(in: 0..<UInt32.max, using: &random)
            table.insert(value, for: key)
            model[key] = value
            let probe = Int64.random(in: -Int64(step)...Int64(step + 1), using: &random)
            #expect(table[probe] == model[probe])
        }
        #expect(table.count == model.count)
        for (key, value) in model { #expect(table[key] == value) }
    }

    @Test func insertingIfAbsentKeepsTheFirstValue() {
        var random = SeededGenerator(seed: 11)
        var table = OrdinalTable(minimumCapacity: 2)
        var model: [Int64: UInt32] = [:]
        for step in UInt32(0)..<20_000 {
            let key = Int64.random(in: -3_000...3_000, using: &random)
            let found = table.value(for: key, insertingIfAbsent: step)
            #expect(found == model[key])
            if found == nil { model[key] = step }
        }
        #expect(table.count == model.count)
        for (key, value) in model { #expect(table[key] == value) }
    }
}
