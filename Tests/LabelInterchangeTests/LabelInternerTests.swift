import LabelTestSupport
import Testing

@testable import LabelInterchange

@Suite struct LabelInternerTests {
    /// Names of every length from 0 to 40 bytes, sharing prefixes and suffixes, so that the
    /// inline (≤ 16 bytes) and arena comparisons and all word-overlap cases are exercised.
    static let awkwardNames: [String] = {
        var names: [String] = [""]
        for length in 1...40 {
            names.append(String(repeating: "a", count: length))
            names.append(String(repeating: "a", count: length - 1) + "b")
            names.append("b" + String(repeating: "a", count: length - 1))
        }
        names += ["é", "😀", "env-prod", "env-prod ", "Env-prod", "team:payments"]
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }()

    @Test func equalBytesGetTheSameIndexAndIndicesAreDense() {
        var interner = LabelInterner()
        let names = Self.awkwardNames
        let indices = names.map { interner.intern($0) }
        #expect(Set(indices).count == names.count)
        #expect(indices == Array(0..<names.count))
        #expect(interner.names == names)
        #expect(interner.count == names.count)
        for (name, index) in zip(names, indices) {
            #expect(interner.intern(name) == index)
            #expect(interner.index(of: name) == index)
            let viaBytes = Array(name.utf8).withUnsafeBytes { interner.intern($0) }
            #expect(viaBytes == index)
        }
        #expect(interner.count == names.count)
        #expect(interner.index(of: "absent") == nil)
    }

    @Test func manyNamesSurviveGrowthAndCrowdedProbes() {
        // A tiny starting table grows ten times; linear probing chains get long on the way.
        var interner = LabelInterner(minimumCapacity: 0)
        let names = (0..<50_000).map { "label-\($0 * 7919 % 50_000)" }
        for (i, name) in names.enumerated() { #expect(interner.intern(name) == i) }
        for (i, name) in names.enumerated().reversed() { #expect(interner.index(of: name) == i) }
        #expect(interner.names == names)
    }

    @Test func copiesAreIndependentValues() {
        var original = LabelInterner()
        _ = original.intern("a")
        var copy = original
        _ = copy.intern("b")
        _ = original.intern("c")
        #expect(original.names == ["a", "c"])
        #expect(copy.names == ["a", "b"])
        #expect(original.index(of: "b") == nil)
        #expect(copy.index(of: "c") == nil)
    }

    @Test func removingTheNewestNamesKeepsTheRestFindable() {
        var random = SeededGenerator(seed: 11)
        var interner = LabelInterner()
        var kept: [String] = []
        for round in 0..<300 {
            let start = interner.count
            let added = (0..<Int.random(in: 1...20, using: &random)).map { "r\(round)-\($0)-\(random.next() % 1000)" }
            for name in added { _ = interner.intern(name) }
            if Bool.random(using: &random) {
                interner.removeNames(from: start)
            } else {
                kept += added  // Unique: each name carries its round and position.
            }
            #expect(interner.count == kept.count)
        }
        #expect(interner.names == kept)
        for (i, name) in kept.enumerated() { #expect(interner.index(of: name) == i) }
        // Removed names can come back, with new indices.
        let again = interner.intern("r0-0-x")
        #expect(again == kept.count)
    }

    @Test func removalDoesNotDisturbASharedCopy() {
        var interner = LabelInterner()
        _ = interner.intern("keep")
        _ = interner.intern("drop")
        let snapshot = interner
        interner.removeNames(from: 1)
        #expect(interner.names == ["keep"])
        #expect(snapshot.names == ["keep", "drop"])
        #expect(snapshot.index(of: "drop") == 1)
    }

    @Test func marksFindRepeatsWithinARecord() {
        var interner = LabelInterner()
        interner.prepareForMarking()
        let first = Array("x".utf8).withUnsafeBytes { interner.intern($0, mark: 1) }
        let repeated = Array("x".utf8).withUnsafeBytes { interner.intern($0, mark: 1) }
        let nextRecord = Array("x".utf8).withUnsafeBytes { interner.intern($0, mark: 2) }
        #expect(first.index == 0 && !first.wasMarked)
        #expect(repeated.index == 0 && repeated.wasMarked)
        #expect(nextRecord.index == 0 && !nextRecord.wasMarked)
        interner.clearMarks()
        let afterClear = Array("x".utf8).withUnsafeBytes { interner.intern($0, mark: 2) }
        #expect(!afterClear.wasMarked)
    }

    @Test func keepsArbitraryBytesApart() {
        // Invalid UTF-8 gets a repaired `String`, but lookups still go by the exact bytes.
        var interner = LabelInterner()
        let a = [UInt8]([0xFF, 0x41]).withUnsafeBytes { interner.intern($0) }
        let b = [UInt8]([0xFE, 0x41]).withUnsafeBytes { interner.intern($0) }
        #expect(a != b)
        #expect([UInt8]([0xFF, 0x41]).withUnsafeBytes { interner.index(of: $0) } == a)
    }

    @Test func hashSpreadsShortNames() {
        // Not a quality proof: just that similar names do not pile into few table slots.
        let slots = Set(
            (0..<4096).map { i in Array("tag-\(i)".utf8).withUnsafeBytes { LabelInterner.hash($0) } & 8191 })
        #expect(slots.count > 3000)
    }
}
