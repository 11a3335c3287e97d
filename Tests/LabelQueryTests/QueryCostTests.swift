import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelQuery

/// The cost bounds of a query: labels reached by prefixes (`QueryLimits.maxExpandedLabels`),
/// the work estimate and the work actually spent (`QueryBudget.maxWork`), the time limit and
/// cancellation. A bound may refuse or stop a query, never change what it answers.
@Suite struct QueryCostTests {
    /// 1,400 labels `t0000`…`t1399` (the issue's `t*` store had 1,388), each on a few of 600
    /// assets, and 66,000 unlabelled fillers so that queries span two blocks.
    static let fixture: QueryFixture = {
        let fixture = try! QueryFixture()
        try! fixture.store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            let names = (0..<1_400).map { "t" + String(String($0 + 10_000).dropFirst()) }
            let ids = try names.map { try loader.labelID(named: $0) }
            for asset in 0..<600 {
                let labels = (0..<5).map { ids[(asset * 7 + $0 * 280) % ids.count] }
                try loader.add(.id(Int64(asset)), AssetAttributes(), labels: Set(labels).sorted().map { ($0, nil) })
            }
            for filler in 0..<66_000 {
                try loader.add(.typed(type: "filler", id: String(filler)), AssetAttributes(), labels: [])
            }
            try loader.add(.id(1_000_000), AssetAttributes(), labels: [(ids[0], nil)])
            try loader.finish()
        }
        return fixture
    }()

    static func prepared(_ text: String, maxExpandedLabels: Int = 1_000_000) throws -> PreparedQuery {
        try PreparedQuery(
            text,
            limits: QueryLimits(maxDepth: 64, maxTerms: 1_000_000, maxExpandedLabels: maxExpandedLabels))
    }

    static func run(_ query: PreparedQuery, _ budget: QueryBudget, facets: [String] = []) throws -> QueryResult {
        try fixture.store.query(query, in: .default, QueryRequest(facets: facets, budget: budget))
    }

    static func estimate(_ query: PreparedQuery) throws -> Int {
        try fixture.store.read { try $0.namespace(.default)!.estimatedWork(query) }
    }

    /// The hostile shapes: `n × -label:t*`, and an OR of chains of NOTs over `label:t*`.
    static func repeatedNegations(_ count: Int) -> String {
        Array(repeating: "-label:t*", count: count).joined(separator: " ")
    }

    static func chainsOfNegations(chains: Int, depth: Int) -> String {
        (0..<chains).map { _ in String(repeating: "NOT ", count: depth) + "label:t*" }.joined(separator: " OR ")
    }

    @Test func aPrefixCountsEveryLabelItReaches() throws {
        let query = try Self.prepared("label:t*", maxExpandedLabels: 1_000)
        #expect(throws: QueryError.tooManyExpandedLabels(limit: 1_000, found: 1_400)) {
            try Self.run(query, QueryBudget())
        }
        let narrower = try Self.prepared("label:t0*", maxExpandedLabels: 1_000)
        #expect(try Self.run(narrower, QueryBudget()).count == 601)
        // `label:*` is `has:label`: it reaches no list of its own.
        #expect(try Self.run(try Self.prepared("label:*", maxExpandedLabels: 0), QueryBudget()).count == 601)
    }

    @Test func aBudgetCanLowerTheExpansionLimit() throws {
        let query = try Self.prepared("label:t0*")
        let refused = QueryError.tooManyExpandedLabels(limit: 250, found: 1_000)
        #expect(throws: refused) { try Self.run(query, QueryBudget(maxExpandedLabels: 250)) }
        #expect(try Self.run(query, QueryBudget(maxExpandedLabels: 1_000)).count == 601)
        // The plan is cached now; the lower limit still applies to it.
        #expect(throws: refused) { try Self.run(query, QueryBudget(maxExpandedLabels: 250)) }
        // The query's own limit stays the bound when the budget's is higher.
        let limited = try Self.prepared("label:t0*", maxExpandedLabels: 500)
        #expect(throws: QueryError.tooManyExpandedLabels(limit: 500, found: 1_000)) {
            try Self.run(limited, QueryBudget(maxExpandedLabels: 10_000))
        }
    }

    @Test func aTermWrittenTwiceCountsTwice() throws {
        // The 10 KB `999 × -label:t*` is refused at the eighth term, before any work.
        let query = try Self.prepared(Self.repeatedNegations(999), maxExpandedLabels: 10_000)
        #expect(throws: QueryError.tooManyExpandedLabels(limit: 10_000, found: 11_200)) {
            try Self.run(query, QueryBudget())
        }
        let chains = try Self.prepared(Self.chainsOfNegations(chains: 64, depth: 30), maxExpandedLabels: 10_000)
        #expect(throws: QueryError.tooManyExpandedLabels(limit: 10_000, found: 11_200)) {
            try Self.run(chains, QueryBudget())
        }
        #expect(Self.repeatedNegations(999).utf8.count > 9_000)
    }

    @Test func aQueryEstimatedAboveItsBudgetIsRefusedBeforeItRuns() throws {
        let query = try Self.prepared(Self.repeatedNegations(8))
        let estimate = try Self.estimate(query)
        // The planner reads a repeated term once: 1,400 lists over two blocks, and more.
        #expect(estimate >= 1_400 * 2)
        #expect(throws: QueryError.workBudgetExceeded(limit: estimate - 1, estimate: estimate)) {
            try Self.run(query, QueryBudget(maxWork: estimate - 1))
        }
        #expect(try Self.run(query, QueryBudget(maxWork: estimate * 4)).count == 66_000)
    }

    @Test func aRunningQueryStopsWhenItHasSpentItsBudget() throws {
        // Facets are paid for as they are counted, past the estimate of the query itself.
        let query = try Self.prepared("label:t00*")
        let estimate = try Self.estimate(query)
        let facets = (0..<100).map { "t" + String(String($0 + 10_100).dropFirst()) }
        #expect(throws: QueryError.workBudgetExceeded(limit: estimate, estimate: nil)) {
            try Self.run(query, QueryBudget(maxWork: estimate), facets: facets)
        }
        #expect(try Self.run(query, QueryBudget(), facets: facets).facets.count == 100)
    }

    @Test func aQueryStopsAtItsTimeLimit() throws {
        let query = try Self.prepared(Self.repeatedNegations(4))
        #expect(throws: QueryError.timeLimitExceeded(.zero)) {
            try Self.run(query, QueryBudget(timeLimit: .zero))
        }
        #expect(try Self.run(query, QueryBudget(timeLimit: .seconds(600))).count == 66_000)
    }

    @Test func aCancelledQueryStops() throws {
        let query = try Self.prepared(Self.repeatedNegations(4))
        let cancellation = QueryCancellation()
        cancellation.cancel()
        #expect(throws: QueryError.cancelled) { try Self.run(query, QueryBudget(cancellation: cancellation)) }
        #expect(try Self.run(query, QueryBudget(cancellation: QueryCancellation())).count == 66_000)
    }

    /// Random queries under random budgets: each either answers exactly what it answers without
    /// a budget (count, page and facets) or fails with the budget's error, and the default
    /// budget is ample for all of them.
    @Test(arguments: [31, 32] as [UInt64])
    func aBudgetRefusesAQueryButNeverChangesItsAnswer(seed: UInt64) throws {
        let (fixture, model) = try DifferentialQueryTests.makeIndex(seed: seed)
        var generator = ExecutorQueryGenerator(seed: seed, model: model)
        var random = SeededGenerator(seed: seed)
        var stopped = 0
        for case_ in 0..<300 {
            let query = try PreparedQuery(generator.expression(depth: 4).canonicalText)
            func run(_ budget: QueryBudget) throws -> Answer {
                Answer(
                    try fixture.store.query(
                        query, in: .default, QueryRequest(limit: 20, facets: ["prod"], budget: budget)))
            }
            let unlimited = try run(.unlimited)
            #expect(try run(QueryBudget()) == unlimited, "case \(case_): \(query)")
            let maxWork = Int.random(in: 0...64, using: &random)
            do {
                #expect(try run(QueryBudget(maxWork: maxWork)) == unlimited, "case \(case_): \(query)")
            } catch QueryError.workBudgetExceeded(let limit, _) {
                #expect(limit == maxWork)
                stopped += 1
            }
        }
        // The budgets were small enough to stop some queries and large enough to let others by.
        #expect((1..<300).contains(stopped), "\(stopped) of 300 stopped")
    }

    /// What a query answers, to compare.
    struct Answer: Equatable {
        var count: Int?
        var ordinals: [AssetOrdinal]
        var assets: [AssetKey]
        var facets: [QueryResult.Facet]
        var hasMore: Bool

        init(_ result: QueryResult) {
            count = result.count
            ordinals = result.ordinals
            assets = result.assets.map(\.key)
            facets = result.facets
            hasMore = result.nextCursor != nil
        }
    }
}
