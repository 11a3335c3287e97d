import Foundation
import Testing

@testable import LabelIndex
@testable import LabelQuery

@Suite struct QueryExecutionTests {
    let fixture: QueryFixture

    init() throws {
        fixture = try QueryFixture()
        try fixture.store.write { writer in
            let ns = try writer.namespace(.default)
            let env = try ns.createLabel(NewLabel(name: "env"))
            try ns.createLabel(NewLabel(name: "env-prod", parent: env.id))
            for id in Int64(1)...6 { try ns.upsertAsset(.id(id), AssetAttributes(name: "asset \(id)")) }
            try ns.apply(.append(["env-prod", "api"]), to: .id(1))
            try ns.apply(.append(["env-prod", "reviewed"]), to: .id(2))
            try ns.apply(.append(["api"]), to: .id(3))
            try ns.apply(.append(["env"]), to: .id(4))
            try ns.apply(.append(["needs review"]), to: .id(5))
        }
    }

    private func keys(_ text: String) throws -> [AssetKey] {
        try fixture.run(text).assets.map(\.key)
    }

    @Test func theExamplesFromTheBrief() throws {
        #expect(try keys("label:env-prod AND NOT label:reviewed") == [.id(1)])
        #expect(try keys("under:env") == [.id(1), .id(2), .id(4)])
        #expect(try keys("label:\"needs review\"") == [.id(5)])
        #expect(try keys("no:label") == [.id(6)])
        #expect(try keys("NOT label:api") == [.id(2), .id(4), .id(5), .id(6)], "NOT includes assets with no labels")
        #expect(try keys("label:env*") == [.id(1), .id(2), .id(4)])
        #expect(try keys("asset:3,6,999") == [.id(3), .id(6)])
        #expect(try fixture.run("*").count == 6)
        let result = try fixture.run("label:api")
        // Assets name labels below the root by their paths.
        #expect(result.assets.first?.labels.map(\.name) == ["env/env-prod", "api"])
    }

    /// A page carries ordinals, keys or whole assets as asked, the same assets in the same order.
    @Test(arguments: ["*", "label:env-prod", "NOT label:api", "no:label", "label:nope"])
    func aPageCarriesWhatItsContentsAsk(text: String) throws {
        let assets = try fixture.run(text, QueryRequest(contents: .assets))
        let keys = try fixture.run(text, QueryRequest(contents: .keys))
        let ordinals = try fixture.run(text, QueryRequest(contents: .ordinals))
        #expect(keys.keys == assets.assets.map(\.key))
        #expect(keys.assets.isEmpty && assets.keys.isEmpty)
        #expect(ordinals.keys.isEmpty && ordinals.assets.isEmpty)
        #expect(ordinals.ordinals == keys.ordinals && keys.ordinals == assets.ordinals)
        #expect(ordinals.ordinals.count == assets.assets.count)
    }

    @Test func unknownLabelsMatchNothingAndWarn() throws {
        let result = try fixture.run("label:nope OR label:api", QueryRequest(explain: true))
        #expect(result.count == 2)
        #expect(result.warnings == [.unknownLabel("nope")])
        let explanation = try #require(result.explanation)
        #expect(explanation.rendered.contains("warning: no label is named \"nope\""))
        #expect(explanation.normalizedQuery == "label:api")
        #expect(try fixture.run("label:zz*").warnings == [.noLabelWithPrefix("zz")])
        #expect(try fixture.run("asset:1,-42").warnings == [.unknownAssets(count: 1, examples: [.id(-42)])])
    }

    @Test func explainShowsTheNormalisedPlanWithActualCounts() throws {
        let explanation = try fixture.store.read { snapshot in
            try snapshot.namespace(.default)!.explain(PreparedQuery("NOT (NOT label:api OR label:reviewed) AND *"))
        }
        #expect(explanation.normalizedQuery == "label:api AND NOT label:reviewed")
        #expect(explanation.plan.operation == "AND NOT")
        #expect(explanation.plan.actualCount == 2)
        #expect(explanation.plan.children.map(\.actualCount) == [2, 1])
        #expect(explanation.plan.children.map(\.estimatedCount) == [2, 1])
        #expect(try fixture.run("label:api AND NOT label:api").count == 0)
        #expect(
            try fixture.store.read { try $0.namespace(.default)!.explain(PreparedQuery("label:api OR NOT label:api")) }
                .normalizedQuery == "*")
    }

    @Test func facetsCountLabelsAmongTheMatches() throws {
        let result = try fixture.run("under:env", QueryRequest(facets: ["api", "reviewed", "missing"]))
        #expect(
            result.facets == [
                .init(label: "api", count: 1), .init(label: "reviewed", count: 1), .init(label: "missing", count: 0),
            ])
    }

    @Test func cursorsPageThroughAndBelongToTheirQuery() throws {
        let query = try PreparedQuery("*")
        let first = try fixture.store.query(query, in: .default, QueryRequest(limit: 4))
        #expect(first.ordinals.count == 4 && first.nextCursor != nil)
        let second = try fixture.store.query(query, in: .default, QueryRequest(limit: 4, cursor: first.nextCursor))
        #expect(second.assets.map(\.key) == [.id(5), .id(6)])
        #expect(second.nextCursor == nil)
        #expect(throws: QueryError.cursorMismatch) {
            try fixture.store.query(PreparedQuery("label:api"), in: .default, QueryRequest(cursor: first.nextCursor))
        }
        #expect(throws: QueryError.invalidCursor("not-a-cursor")) {
            try fixture.store.query(query, in: .default, QueryRequest(cursor: QueryCursor(rawValue: "not-a-cursor")))
        }
        #expect(throws: QueryError.limitOutOfRange(10_001)) {
            try fixture.store.query(query, in: .default, QueryRequest(limit: 10_001))
        }
    }

    @Test func syntaxErrorsComeBackTyped() throws {
        #expect {
            try fixture.run("lable:x")
        } throws: { error in
            guard case QueryError.syntax(let syntax) = error else { return false }
            return syntax.message.contains("lable") && syntax.hint != nil
        }
        var deep: QueryExpression = .all
        for _ in 0..<100 { deep = .not(deep) }
        #expect(throws: QueryError.tooDeep(limit: 64)) { try PreparedQuery(deep) }
    }

    @Test func preparedPlansFollowTheLabelDictionary() throws {
        let query = try PreparedQuery("label:fresh OR label:api")
        #expect(try fixture.store.query(query).count == 2)
        try fixture.store.write { writer in
            let ns = try writer.namespace(.default)
            try ns.apply(.append(["fresh"]), to: .id(6))
        }
        #expect(try fixture.store.query(query).count == 3, "a label created after preparing is found")
        try fixture.store.write { writer in
            let ns = try writer.namespace(.default)
            try ns.updateLabel(try #require(try ns.labelID(named: "fresh")), LabelUpdate(name: "renamed"))
        }
        #expect(try fixture.store.query(query).count == 2, "a renamed label no longer matches its old name")
    }

    @Test func emptyAndMissingNamespaces() throws {
        let result = try fixture.store.query(PreparedQuery("*"), in: "nobody", QueryRequest())
        #expect(result.count == 0 && result.assets.isEmpty)
    }

    /// A time limit against a hang, not a speed check (the `parse:` benchmarks measure that).
    @Test(.timeLimit(.minutes(1))) func aHundredThousandAssetIdsRun() throws {
        let ids = (0..<100_000).map { String($0 * 3 + 1) }.joined(separator: ",")
        let result = try fixture.run("asset:\(ids) AND label:api", QueryRequest(limit: 10))
        #expect(result.assets.map(\.key) == [.id(1)])
    }
}

/// The first page reads only the chunks of the blocks it needs: a match in the first block
/// never decodes the later blocks of a large result.
@Suite struct StreamingTests {
    @Test func aFirstPageDecodesOnlyTheFirstBlock() throws {
        let fixture = try QueryFixture()
        try fixture.store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            let all = try loader.labelID(named: "all")
            let half = try loader.labelID(named: "half")
            for id in 0..<140_000 {
                try loader.add(
                    .id(Int64(id)), AssetAttributes(), labels: id % 2 == 0 ? [(all, nil), (half, nil)] : [(all, nil)])
            }
            try loader.finish()
        }
        let store = try LabelStore(path: fixture.path, options: fixture.store.options)
        let before = try #require(store.cacheStatistics)
        var lazy = QueryRequest(limit: 100, includeCount: false, contents: .ordinals)
        lazy.smallNamespaceBlocks = 0
        let page = try store.query(PreparedQuery("label:all AND NOT label:half"), in: .default, lazy)
        #expect(page.ordinals.count == 100 && page.nextCursor != nil)
        let after = try #require(store.cacheStatistics)
        #expect(after.misses - before.misses == 2, "one chunk of each label, block 0 only")
        let count = try store.query(PreparedQuery("label:all AND NOT label:half"), in: .default, QueryRequest(limit: 0))
        #expect(count.count == 70_000)
    }
}
