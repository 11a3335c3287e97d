import LabelIndex
import LabelTestSupport
import Testing

/// The worked examples of api-spec.md §4.1 (PD-1…PD-11), as engine operations.
@Suite struct WorkedExampleTests {
    let fixture: TemporaryStore
    let asset = AssetKey.id(123_456)

    init() throws {
        fixture = try TemporaryStore()
        try fixture.write { ns in
            try ns.upsertAsset(asset, AssetAttributes(name: "https://example.com"))
            try ns.apply(.append(["prod", "api"]), to: asset)
        }
    }

    @Test func appendKeepsExistingOrderAndSkipsDuplicates() throws {
        try fixture.write { try $0.apply(.append(["api", "critical"]), to: asset) }
        #expect(try fixture.labelNames(asset) == ["prod", "api", "critical"])
        #expect(try fixture.verify().isClean)
    }

    @Test func emptyAppendIsANoOp() throws {
        let before = try fixture.read { try $0.asset(asset) }
        try fixture.write { try $0.apply(.append([]), to: asset) }
        let after = try fixture.read { try $0.asset(asset) }
        #expect(before == after, "an empty append must not even touch updatedAt")
    }

    @Test func deleteModeRemovesOnlyListedLabels() throws {
        try fixture.write { ns in
            try ns.apply(.append(["critical", "monitoring"]), to: asset)
            try ns.apply(.remove(["critical", "monitoring", "never-there"]), to: asset)
        }
        #expect(try fixture.labelNames(asset) == ["prod", "api"])
    }

    @Test func replaceSwapsTheWholeSet() throws {
        try fixture.write { try $0.apply(.replace(["staging", "testing"]), to: asset) }
        #expect(try fixture.labelNames(asset) == ["staging", "testing"])
        let prodCount = try fixture.read { ns in try ns.label(named: "prod")?.assetCount }
        #expect(prodCount == 0, "the replaced label keeps its definition but loses the asset")
        #expect(try fixture.verify().isClean)
    }

    @Test func clearingLeavesTheAssetWithNoLabels() throws {
        try fixture.write { try $0.removeAllLabels(from: asset) }
        #expect(try fixture.labelNames(asset) == [])
        let labelled = try fixture.read { try $0.cardinality(of: .labelled) }
        #expect(labelled == 0)
        #expect(try fixture.read { try $0.contains(asset) } == true)
    }

    @Test func unknownAssetIsAnError() throws {
        #expect(throws: LabelIndexError.assetNotFound(.id(999_999_999))) {
            try fixture.write { try $0.apply(.append(["x"]), to: .id(999_999_999)) }
        }
        #expect(
            try fixture.read { try $0.label(named: "x") } ?? nil == nil, "the failed write must not create the label")
    }

    @Test func bulkAppendAndDeleteOverEveryAsset() throws {
        try fixture.write { ns in
            for id in 1...5 { try ns.upsertAsset(.id(Int64(id))) }
            try ns.apply(.append(["test1"]), to: .id(3))
            let prod = try ns.postings(of: .label(try #require(try ns.labelID(named: "prod"))))
            #expect(try ns.apply(.append(["reviewed"]), toOrdinals: prod) == 1)
            let everyone = try ns.postings(of: .universe)
            #expect(try ns.apply(.remove(["test1"]), toOrdinals: everyone) == 1)
        }
        #expect(try fixture.labelNames(asset) == ["prod", "api", "reviewed"])
        #expect(try fixture.labelNames(.id(3)) == [])
        #expect(try fixture.verify().isClean)
    }

    @Test func weightsAreKeptPerAssetAndUpdatedByAppend() throws {
        try fixture.write { ns in
            try ns.apply(.append([LabelAssignment("api", weight: 0.5), LabelAssignment("new", weight: 2)]), to: asset)
        }
        let labels = try #require(try fixture.read { try $0.labels(of: asset) } ?? nil)
        #expect(labels.map(\.name) == ["prod", "api", "new"])
        #expect(labels.map(\.weight) == [nil, 0.5, 2])
    }

    @Test func duplicateNamesInOneRequestCountOnce() throws {
        try fixture.write { try $0.apply(.replace(["b", "a", "b", "a"]), to: asset) }
        #expect(try fixture.labelNames(asset) == ["b", "a"])
        #expect(try fixture.verify().isClean)
    }
}
