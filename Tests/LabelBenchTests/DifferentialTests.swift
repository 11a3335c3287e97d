import Foundation
import Testing

@testable import LabelBench

/// The SQLite baseline (both SQL forms), the in-memory floor and a plain-`Set` evaluator must
/// agree on every count and first page.
@Suite struct DifferentialTests {
    /// A loaded baseline over a fresh database, closed and deleted after `body`.
    static func withBaseline<T>(
        _ workload: Workload, reverseIndex: ReverseIndexTiming = .afterInserts, _ body: (SQLiteBaseline) throws -> T
    ) throws -> T {
        try withTemporaryDirectory { directory in
            let baseline = try SQLiteBaseline(path: directory.appending(path: "bench.sqlite").path)
            try baseline.load(workload, reverseIndex: reverseIndex)
            return try body(baseline)
        }
    }

    @Test(arguments: QueryShape.allCases)
    func shapeAgreesEverywhere(_ shape: QueryShape) throws {
        let workload = try Workload.generate(smallSpec())
        let query = try #require(workload.queries().first { $0.shape == shape })
        let naive = NaiveEvaluator(workload)
        let expectedCount = naive.evaluate(query.expression).count
        let expectedPage = naive.firstPage(query.expression).map(Int64.init)
        let floor = MemoryFloor(workload)
        #expect(floor.count(query) == expectedCount)
        #expect(floor.firstPage(query).map(Int64.init) == expectedPage)
        try Self.withBaseline(workload) { (baseline: SQLiteBaseline) throws in
            for form in SQLForm.allCases {
                #expect(try baseline.count(query, form: form) == expectedCount, "\(form)")
                #expect(try baseline.firstPage(query, form: form) == expectedPage, "\(form)")
            }
            // Statements are reused: a second run gives the same answers.
            #expect(try baseline.count(query) == expectedCount)
            #expect(try baseline.firstPage(query, limit: 7) == Array(expectedPage.prefix(7)))
        }
        if shape == .emptyIntersection { #expect(expectedCount == 0) } else { #expect(expectedCount > 0) }
    }

    @Test func pureNotIncludesUnlabeledAssets() throws {
        let workload = try Workload.generate(smallSpec())
        let query = try #require(workload.queries().first { $0.shape == .pureNot })
        let unlabeled = workload.assets.indices.filter { workload.assets[$0].labels.isEmpty }
        #expect(!unlabeled.isEmpty)
        let matches = MemoryFloor(workload).evaluate(query.expression)
        #expect(unlabeled.allSatisfy { matches.contains(UInt32($0)) })
    }

    /// Random expressions reach combinations the twelve shapes do not (nested NOTs, ORs of
    /// ANDs, NOT-only conjunctions).
    @Test func randomExpressionsAgree() throws {
        let workload = try Workload.generate(WorkloadSpec(assets: 3_000, labels: 200, seed: 5, writeOperations: 0))
        let naive = NaiveEvaluator(workload)
        let floor = MemoryFloor(workload)
        let counts = workload.labelAssetCounts()
        let used = workload.labels.indices.filter { counts[$0] > 0 }
        var random = Xoshiro256StarStar(seed: 99)
        func expression(depth: Int) -> ShapeExpression {
            let leaf = ShapeExpression.label(used[random.index(below: used.count)])
            if depth == 0 { return leaf }
            switch random.index(below: 4) {
            case 0: return leaf
            case 1: return .not(expression(depth: depth - 1))
            case 2: return .and((0..<(2 + random.index(below: 2))).map { _ in expression(depth: depth - 1) })
            default: return .or((0..<(2 + random.index(below: 3))).map { _ in expression(depth: depth - 1) })
            }
        }
        try Self.withBaseline(workload) { (baseline: SQLiteBaseline) throws in
            for index in 0..<60 {
                let tree = expression(depth: 3)
                let query = BenchQuery(
                    id: "random-\(index)", shape: .nestedMix,
                    text: tree.text(labelNames: workload.labels.map(\.name)), expression: tree)
                let expected = naive.evaluate(tree)
                let page = naive.firstPage(tree).map(Int64.init)
                #expect(floor.count(query) == expected.count, "\(query.text)")
                #expect(floor.firstPage(query).map(Int64.init) == page, "\(query.text)")
                for form in SQLForm.allCases {
                    #expect(try baseline.count(query, form: form) == expected.count, "\(form) \(query.text)")
                    #expect(try baseline.firstPage(query, form: form) == page, "\(form) \(query.text)")
                }
            }
        }
    }

    @Test(arguments: ReverseIndexTiming.allCases)
    func loadReportsSizeAndBothIndexTimingsWork(_ timing: ReverseIndexTiming) throws {
        let workload = try Workload.generate(smallSpec())
        try withTemporaryDirectory { directory in
            let baseline = try SQLiteBaseline(path: directory.appending(path: "bench.sqlite").path)
            let report = try baseline.load(workload, reverseIndex: timing)
            #expect(report.pairCount == workload.pairCount)
            #expect(report.assetCount == workload.assets.count)
            #expect(report.databaseBytes > Int64(workload.pairCount * 4))
            #expect(report.duration > .zero)
            let query = workload.queries()[2]
            #expect(try baseline.count(query) == NaiveEvaluator(workload).evaluate(query.expression).count)
        }
    }

    @Test func singleWritesChangeBaselineAndFloorAlike() throws {
        let workload = try Workload.generate(smallSpec())
        var floor = MemoryFloor(workload)
        let query = try #require(workload.queries().first { $0.shape == .singleRare })
        guard case .label(let label) = query.expression else {
            Issue.record("single-rare is not a single label")
            return
        }
        let holder = Int(floor.bitmaps[label].min!)
        let outsider = try #require(workload.assets.indices.first { !workload.assets[$0].labels.contains(label) })
        try Self.withBaseline(workload) { (baseline: SQLiteBaseline) throws in
            let before = try baseline.count(query)
            #expect(try baseline.add(ord: outsider, label: label))
            #expect(try !baseline.add(ord: outsider, label: label))
            let added = floor.add(ordinal: outsider, label: label)
            #expect(added)
            #expect(try baseline.count(query) == before + 1)
            #expect(try baseline.remove(ord: holder, label: label))
            #expect(try !baseline.remove(ord: holder, label: label))
            let removed = floor.remove(ordinal: holder, label: label)
            #expect(removed)
            #expect(try baseline.count(query) == before)
            #expect(floor.count(query) == before)
            #expect(try baseline.firstPage(query) == floor.firstPage(query).map(Int64.init))
        }
    }

    @Test func sqliteErrorsCarryTheMessage() throws {
        let workload = try Workload.generate(smallSpec())
        try Self.withBaseline(workload) { (baseline: SQLiteBaseline) throws in
            // The tables exist already, so a second load must fail inside CREATE TABLE.
            do {
                try baseline.load(workload)
                Issue.record("loading twice succeeded")
            } catch let error as SQLiteError {
                #expect(error.message.contains("already exists"), "\(error)")
            }
            // The failed load rolled back and left the first load intact.
            let query = workload.queries()[0]
            #expect(try baseline.count(query) == MemoryFloor(workload).count(query))
        }
    }

    @Test func probeDrivesFromTheRarestPositiveLabel() throws {
        let workload = try Workload.generate(smallSpec())
        let query = try #require(workload.queries().first { $0.shape == .rareAndPopular })
        guard case .and(let operands) = query.expression, case .label(let rare) = operands[0] else {
            Issue.record("rare-and-popular is not rare AND popular")
            return
        }
        try Self.withBaseline(workload) { (baseline: SQLiteBaseline) throws in
            let sql = try baseline.sql(for: query, form: .probe, purpose: .firstPage)
            #expect(sql.hasPrefix("SELECT d.ord FROM asset_labels AS d WHERE d.label_id = ? AND EXISTS"), "\(sql)")
            let compound = try baseline.sql(for: query, form: .compound, purpose: .count)
            #expect(compound.contains(" INTERSECT "), "\(compound)")
            _ = rare
        }
    }
}
