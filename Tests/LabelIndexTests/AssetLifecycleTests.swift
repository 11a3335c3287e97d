import Foundation
import LabelTestSupport
import Testing

@testable import LabelIndex

@Suite struct AssetLifecycleTests {
    let fixture: TemporaryStore

    init() throws { fixture = try TemporaryStore() }

    @Test func upsertCreatesThenUpdatesKeepingLabels() throws {
        let created = Date(timeIntervalSince1970: 1_700_000_000.123)
        let first = try fixture.write { ns in
            try ns.upsertAsset(
                .id(-5),
                AssetAttributes(name: "a", assetType: "host", createdAt: created, metadata: Array("{\"x\":1}".utf8)))
        }
        #expect(first == .created(AssetOrdinal(0)))
        try fixture.write { try $0.apply(.append(["keep"]), to: .id(-5)) }
        let second = try fixture.write { try $0.upsertAsset(.id(-5), AssetAttributes(name: "b")) }
        #expect(second == .updated(AssetOrdinal(0)))
        let asset = try #require(try fixture.read { try $0.asset(.id(-5)) } ?? nil)
        #expect(asset.name == "b")
        #expect(asset.assetType == nil && asset.metadata == nil)
        #expect(asset.createdAt == created, "createdAt survives an upsert that does not set it")
        #expect(asset.labels.map(\.name) == ["keep"])
    }

    @Test func keysAtOrdinalsFollowTheGivenOrderAndSkipDeletedAssets() throws {
        let keys: [AssetKey] = [.id(-7), .typed(type: "form", id: "ünï"), .id(Int64.max), .id(3)]
        try fixture.write { ns in
            for key in keys { try ns.upsertAsset(key, AssetAttributes(name: "n", metadata: Array("{}".utf8))) }
            try ns.apply(.append(["a"]), to: .id(3))
            _ = try ns.deleteAsset(.id(Int64.max))
        }
        try fixture.read { (ns) throws in
            let ordinals: [AssetOrdinal] = [3, 0, 2, 1, 9].map { AssetOrdinal($0) }
            #expect(try ns.assetKeys(at: ordinals) == [.id(3), .id(-7), .typed(type: "form", id: "ünï")])
            #expect(try ns.assetKeys(at: ordinals) == ns.assets(at: ordinals).map(\.key))
        }
    }

    /// Pages ask for ascending runs of a record group (walked once), other callers for any
    /// order, repeats included: both must name exactly the assets one lookup each would.
    @Test func keysAtAnyOrdinalsMatchOneLookupEach() throws {
        var random = SeededGenerator(seed: 7)
        try fixture.write { ns in
            for id in Int64(0)..<60 { try ns.upsertAsset(id % 3 == 0 ? .typed(type: "t", id: "k\(id)") : .id(id)) }
            for id in Int64(0)..<60 where id % 7 == 2 || id / 8 == 4 {
                _ = try ns.deleteAsset(id % 3 == 0 ? .typed(type: "t", id: "k\(id)") : .id(id))
            }
        }
        try fixture.read { (ns) throws in
            for round in 0..<300 {
                var ordinals = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                    AssetOrdinal(UInt32.random(in: 0..<70, using: &random))
                }
                if round % 2 == 0 { ordinals.sort() }
                let expected = try ordinals.compactMap { try ns.asset(at: $0)?.key }
                #expect(try ns.assetKeys(at: ordinals) == expected, "ordinals \(ordinals)")
                #expect(try ns.assets(at: ordinals).map(\.key) == expected)
            }
        }
    }

    @Test func deleteLeavesNoTrace() throws {
        try fixture.write { ns in
            for id in Int64(1)...3 { try ns.upsertAsset(.id(id)) }
            try ns.upsertAsset(.typed(type: "sku", id: "x"))
            try ns.apply(.append(["a", "b"]), to: .id(2))
            try ns.apply(.append(["a"]), to: .typed(type: "sku", id: "x"))
        }
        #expect(try fixture.write { try $0.deleteAsset(.id(2)) })
        #expect(try fixture.write { try $0.deleteAsset(.typed(type: "sku", id: "x")) })
        #expect(try fixture.write { try $0.deleteAsset(.id(2)) } == false)
        try fixture.read { (ns) throws in
            #expect(ns.assetCount == 2)
            #expect(try ns.pairCount() == 0)
            #expect(try ns.asset(.id(2)) == nil)
            #expect(try ns.cardinality(of: .label(try #require(try ns.labelID(named: "a")))) == 0)
            #expect(try ns.postings(of: .universe).values == [0, 2])
            #expect(try ns.cardinality(of: .labelled) == 0)
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func pagingThroughAllAssetsInCreationOrder() throws {
        try fixture.write { ns in
            for id in stride(from: Int64(100), to: 0, by: -7) { try ns.upsertAsset(.id(id)) }
            try ns.deleteAsset(.id(93))
        }
        var keys: [AssetKey] = []
        var cursor: AssetOrdinal?
        while true {
            let page = try fixture.read { try $0.assets(after: cursor, limit: 4) } ?? []
            if page.isEmpty { break }
            keys += page.map(\.key)
            cursor = page.last?.ordinal
        }
        let expected = stride(from: Int64(100), to: 0, by: -7).filter { $0 != 93 }.map(AssetKey.id)
        #expect(keys == expected)
    }

    @Test func ordinalsAreRecycledOnlyWhenFreshOnesRunOut() throws {
        var options = TemporaryStore.fastOptions
        options.ordinalCapacity = 4
        let fixture = try TemporaryStore(options: options)
        try fixture.write { ns in
            for id in Int64(0)..<4 { try ns.upsertAsset(.id(id)) }
            try ns.deleteAsset(.id(2))
            try ns.deleteAsset(.id(0))
        }
        let recycled = try fixture.write { ns in
            [try ns.upsertAsset(.id(10)).ordinal, try ns.upsertAsset(.id(11)).ordinal]
        }
        #expect(recycled == [AssetOrdinal(0), AssetOrdinal(2)])
        #expect(throws: LabelIndexError.assetCapacityReached(limit: 4)) {
            try fixture.write { try $0.upsertAsset(.id(12)) }
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func namespacesAreIsolated() throws {
        try fixture.write("team-a") { ns in
            try ns.upsertAsset(.id(1))
            try ns.apply(.append(["secret"]), to: .id(1))
        }
        try fixture.write("team-b") { ns in try ns.upsertAsset(.id(1)) }
        #expect(try fixture.labelNames(.id(1), in: "team-b") == [])
        #expect(try fixture.read("team-b") { try $0.label(named: "secret") } ?? nil == nil)
        #expect(try fixture.read("team-c") { $0.assetCount } == nil)
        #expect(try fixture.store.read { try $0.namespaces() } == ["team-a", "team-b"])
        #expect(try fixture.store.write { try $0.deleteNamespace("team-a") })
        #expect(try fixture.store.read { try $0.namespaces() } == ["team-b"])
        #expect(try fixture.labelNames(.id(1), in: "team-b") == [])
        #expect(try fixture.verify().isClean)
    }

    @Test func nestedTransactionFailureRollsBackOnlyItself() throws {
        struct Refused: Error {}
        try fixture.store.write { writer in
            let ns = try writer.namespace(.default)
            try ns.upsertAsset(.id(1))
            #expect(throws: Refused.self) {
                try writer.nested { child in
                    let inner = try child.namespace(.default)
                    try inner.apply(.append(["doomed"]), to: .id(1))
                    throw Refused()
                }
            }
            try writer.nested { child in try child.namespace(.default).upsertAsset(.id(2)) }
            // The outer namespace writer still sees the child's committed asset.
            #expect(ns.assetCount == 2)
            try ns.apply(.append(["kept"]), to: .id(2))
        }
        #expect(try fixture.labelNames(.id(1)) == [])
        #expect(try fixture.labelNames(.id(2)) == ["kept"])
        #expect(try fixture.read { try $0.label(named: "doomed") } ?? nil == nil)
        #expect(try fixture.verify().isClean)
    }

    @Test func applicationDataRoundTrips() throws {
        try fixture.store.write { writer in
            try writer.setApplicationValue([1, 2, 3], forKey: Array("key/a".utf8))
            try writer.setApplicationValue([4], forKey: Array("key/b".utf8))
            try writer.setApplicationValue([5], forKey: Array("other".utf8))
        }
        let entries = try fixture.store.read { try $0.applicationEntries(withPrefix: Array("key/".utf8)) }
        #expect(entries.map(\.value) == [[1, 2, 3], [4]])
        try fixture.store.write { try $0.setApplicationValue(nil, forKey: Array("key/a".utf8)) }
        #expect(try fixture.store.read { try $0.applicationValue(forKey: Array("key/a".utf8)) } == nil)
    }
}
