import LabelTestSupport
import Testing

@testable import LabelIndex

@Suite struct LabelNameCacheTests {
    @Test func namesArePublishedInBatchesForTheirGenerationOnly() {
        let cache = LabelNameCache(capacityBytes: 1 << 20)
        for label in UInt32(0)..<7 { cache.insert("n\(label)", for: label, namespace: 1, generation: 5) }
        #expect(cache.names(namespace: 1, generation: 5).isEmpty, "pending until a batch is full")
        cache.insert("n7", for: 7, namespace: 1, generation: 5)
        let published = cache.names(namespace: 1, generation: 5)
        #expect(published.count == 8 && published[3] == "n3")
        #expect(cache.names(namespace: 1, generation: 4).isEmpty)
        #expect(cache.names(namespace: 2, generation: 5).isEmpty)
        // An older generation never overwrites a newer one; a newer one replaces the table.
        for label in UInt32(0)..<8 { cache.insert("old", for: label, namespace: 1, generation: 4) }
        #expect(cache.names(namespace: 1, generation: 5)[0] == "n0")
        for label in UInt32(0)..<8 { cache.insert("new\(label)", for: label, namespace: 1, generation: 6) }
        #expect(cache.names(namespace: 1, generation: 5).isEmpty)
        #expect(cache.names(namespace: 1, generation: 6)[2] == "new2")
    }

    @Test func aHeldTableStaysAsItWasTaken() {
        let cache = LabelNameCache(capacityBytes: 1 << 20)
        for label in UInt32(0)..<8 { cache.insert("a\(label)", for: label, namespace: 0, generation: 1) }
        let held = cache.names(namespace: 0, generation: 1)
        for label in UInt32(8)..<16 { cache.insert("b\(label)", for: label, namespace: 0, generation: 1) }
        #expect(held.count == 8)
        #expect(cache.names(namespace: 0, generation: 1).count == 16)
    }

    /// Publishes eight names `prefix0`… in `namespace` (one batch).
    static func publish(_ cache: LabelNameCache, namespace: UInt32, prefix: String, count: Int = 8) {
        for label in 0..<count {
            cache.insert("\(prefix)\(label)", for: UInt32(label), namespace: namespace, generation: 1)
        }
    }

    @Test func tablesStayWithinTheirBytesAcrossNamespaces() {
        let capacity = 8 * 1024
        let cache = LabelNameCache(capacityBytes: capacity)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let namespace = UInt32.random(in: 0..<40, using: &generator)
            let label = UInt32.random(in: 0..<500, using: &generator)
            let name = String(repeating: "x", count: Int.random(in: 1...200, using: &generator))
            cache.insert(name, for: label, namespace: namespace, generation: 1)
            #expect(cache.bytes <= capacity)
            #expect(cache.bytes >= 0)
        }
        // Whatever is published is what was inserted last for that id.
        cache.insert("final", for: 7, namespace: 99, generation: 1)
        for label in UInt32(100)..<107 { cache.insert("f\(label)", for: label, namespace: 99, generation: 1) }
        #expect(cache.names(namespace: 99, generation: 1)[7] == "final")
    }

    @Test func theLeastRecentlyReadTableGoesFirst() {
        let perTable = 8 * (LabelNameCache.entryOverheadBytes + 2 + LabelNameCache.slotBytes)
        let cache = LabelNameCache(capacityBytes: 2 * perTable)
        Self.publish(cache, namespace: 1, prefix: "a")
        Self.publish(cache, namespace: 2, prefix: "b")
        #expect(cache.bytes == 2 * perTable)
        #expect(cache.names(namespace: 1, generation: 1).count == 8)  // 1 read after 2
        Self.publish(cache, namespace: 3, prefix: "c")
        #expect(cache.names(namespace: 2, generation: 1).isEmpty)
        #expect(cache.names(namespace: 1, generation: 1)[0] == "a0")
        #expect(cache.names(namespace: 3, generation: 1)[7] == "c7")
        #expect(cache.bytes == 2 * perTable)
    }

    @Test func aTableThatFillsTheBudgetKeepsWhatItHas() {
        let perTable = 8 * (LabelNameCache.entryOverheadBytes + 2 + LabelNameCache.slotBytes)
        let cache = LabelNameCache(capacityBytes: perTable + perTable / 2)
        Self.publish(cache, namespace: 1, prefix: "a")
        for label in 8..<40 { cache.insert("b\(label % 10)", for: UInt32(label), namespace: 1, generation: 1) }
        let names = cache.names(namespace: 1, generation: 1)
        #expect(names.count == 8 && names[0] == "a0" && names[7] == "a7" && names[8] == nil)
        #expect(cache.bytes <= perTable + perTable / 2)
    }

    /// Slots are paid for up to the largest id: a far id whose slots do not fit is not cached,
    /// and nothing else is lost to it.
    @Test func aFarIdWhoseSlotsDoNotFitIsNotCached() {
        let cache = LabelNameCache(capacityBytes: 8 * 1024)
        Self.publish(cache, namespace: 1, prefix: "a")
        for label in UInt32(8)..<15 { cache.insert("b", for: label, namespace: 1, generation: 1) }
        cache.insert("far", for: 1_000_000, namespace: 1, generation: 1)
        #expect(cache.bytes <= 8 * 1024)
        #expect(cache.names(namespace: 1, generation: 1)[1_000_000] == nil)
        for label in UInt32(16)..<24 { cache.insert("c", for: label, namespace: 1, generation: 1) }
        let names = cache.names(namespace: 1, generation: 1)
        #expect(names[16] == "c" && names[14] == "b" && names[0] == "a0", "\(names.count)")
        #expect(cache.bytes <= 8 * 1024)
    }

    @Test func aZeroBudgetCachesNothing() {
        let cache = LabelNameCache(capacityBytes: 0)
        Self.publish(cache, namespace: 1, prefix: "a", count: 64)
        #expect(cache.names(namespace: 1, generation: 1).isEmpty)
        #expect(cache.bytes == 0)
    }

    /// Reads through a store whose name cache holds far fewer names than its namespaces have
    /// still name every label right.
    @Test func aSmallCacheNamesEveryLabelRight() throws {
        var options = TemporaryStore.fastOptions
        options.labelNameCacheBytes = 2 * 1024
        let fixture = try TemporaryStore(options: options)
        let store = fixture.store
        try store.write { writer in
            for space in 0..<12 {
                let namespace = try writer.namespace(Namespace("t\(space)"))
                for asset in 0..<40 {
                    try namespace.upsertAsset(.id(Int64(asset)))
                    try namespace.apply(
                        .append([LabelAssignment("t\(space)-l\(asset)"), LabelAssignment("t\(space)-shared")]),
                        to: .id(Int64(asset)))
                }
            }
        }
        for _ in 0..<3 {
            for space in 0..<12 {
                try store.read { snapshot in
                    let reader = try #require(try snapshot.namespace(Namespace("t\(space)")))
                    for asset in 0..<40 {
                        let names = try #require(try reader.labels(of: .id(Int64(asset)))).map(\.name)
                        #expect(Set(names) == ["t\(space)-l\(asset)", "t\(space)-shared"])
                    }
                }
            }
        }
        #expect(store.labelNames.bytes <= 2 * 1024)
    }
}
