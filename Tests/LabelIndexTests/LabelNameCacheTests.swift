import Testing

@testable import LabelIndex

@Suite struct LabelNameCacheTests {
    @Test func namesArePublishedInBatchesForTheirGenerationOnly() {
        let cache = LabelNameCache()
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
        let cache = LabelNameCache()
        for label in UInt32(0)..<8 { cache.insert("a\(label)", for: label, namespace: 0, generation: 1) }
        let held = cache.names(namespace: 0, generation: 1)
        for label in UInt32(8)..<16 { cache.insert("b\(label)", for: label, namespace: 0, generation: 1) }
        #expect(held.count == 8)
        #expect(cache.names(namespace: 0, generation: 1).count == 16)
    }
}
