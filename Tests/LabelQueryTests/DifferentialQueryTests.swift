import LabelIndex
import LabelQuery
import LabelTestSupport
import Roaring
import Testing

/// Seeded random indexes and random queries, printed to text and parsed back, evaluated by
/// the engine and by `NaiveEvaluator` over a plain model: counts, every page (followed through
/// its cursors) and facets must agree exactly.
@Suite struct DifferentialQueryTests {
    /// The model: ordinal → label names, label → parent.
    struct Model {
        var assets: [(key: Int64, ordinal: UInt32, labels: Set<String>)] = []
        var parents: [String: String] = [:]
        var labelNames: [String] = []
        /// Assets without int keys or labels that push ordinals into later blocks.
        var fillers = RoaringBitmap()
    }

    static let names = [
        "prod", "prod-eu", "prod-us", "staging", "api", "db", "team-a", "team-b", "team-c", "x y", "é", "critical",
        "rare",
    ]

    /// Builds a random store whose ordinals cross the 65,536 boundary, so the block-wise
    /// executor is exercised across chunks.
    static func makeIndex(seed: UInt64) throws -> (QueryFixture, Model) {
        var random = SeededGenerator(seed: seed)
        let fixture = try QueryFixture()
        var model = Model()
        model.labelNames = names
        model.parents = ["prod-eu": "prod", "prod-us": "prod", "team-b": "team-a", "team-c": "team-b"]
        let assetCount = Int.random(in: 150...400, using: &random)
        try fixture.store.write { writer in
            let ns = try writer.namespace(.default)
            for name in ["prod", "prod-eu", "prod-us", "team-a", "team-b", "team-c"] {
                try ns.createLabel(
                    NewLabel(name: name, parent: try model.parents[name].flatMap { try ns.labelID(named: $0) }))
            }
            try ns.createLabel(NewLabel(name: "unused"))
            model.labelNames.append("unused")
            let loader = try writer.bulkLoader(for: .default)
            for index in 0..<assetCount {
                let labels = Set(
                    (0..<Int.random(in: 0...4, using: &random)).map { _ in names.randomElement(using: &random)! })
                let key = Int64(index * 7 - 500)
                try loader.add(
                    .id(key), AssetAttributes(),
                    labels: try labels.sorted().map { (try loader.labelID(named: $0), nil) })
            }
            try loader.finish()
        }
        // Unlabelled fillers push the last assets into the second block.
        try fixture.store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            for filler in 0..<66_000 {
                try loader.add(.typed(type: "filler", id: String(filler)), AssetAttributes(), labels: [])
            }
            let late = try loader.labelID(named: "prod")
            for index in 0..<30 {
                try loader.add(.id(Int64(100_000 + index)), AssetAttributes(), labels: [(late, nil)])
            }
            try loader.finish()
        }
        try fixture.store.read { snapshot in
            let ns = try snapshot.namespace(.default)!
            var after: AssetOrdinal?
            while true {
                let page = try ns.assets(after: after, limit: 5_000)
                if page.isEmpty { break }
                for asset in page {
                    guard case .id(let id) = asset.key else { continue }
                    // The model's labels are names (unique here); assets show paths.
                    let names = try asset.labels.map { try #require(try ns.label($0.id)).name }
                    model.assets.append((id, asset.ordinal.rawValue, Set(names)))
                }
                after = page.last?.ordinal
            }
            model.fillers = try ns.postings(of: .universe).subtracting(RoaringBitmap(model.assets.map(\.ordinal)))
        }
        return (fixture, model)
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func engineAgreesWithNaiveEvaluation(seed: UInt64) throws {
        let (fixture, model) = try Self.makeIndex(seed: seed)
        var generator = ExecutorQueryGenerator(seed: seed, model: model)
        let evaluator = NaiveEvaluator(model: model)
        for case_ in 0..<500 {
            let expression = generator.expression(depth: 4)
            let text = expression.canonicalText
            let reparsed = try QueryExpression(parsing: text)
            let expected = evaluator.evaluate(reparsed)
            let query = try PreparedQuery(text)
            let result = try fixture.store.query(
                query, in: .default, QueryRequest(limit: 7, contents: .ordinals, facets: ["prod", "nope"]))
            #expect(result.count == expected.count, "case \(case_): \(text)")
            // Follow the cursors through every page.
            var collected = result.ordinals.map(\.rawValue)
            var cursor = result.nextCursor
            while let next = cursor {
                let page = try fixture.store.query(
                    query, in: .default,
                    QueryRequest(
                        limit: QueryRequest.maximumLimit, cursor: next, includeCount: false, contents: .ordinals))
                collected += page.ordinals.map(\.rawValue)
                cursor = page.nextCursor
            }
            let expectedOrdinals = expected.values
            #expect(collected.count == expectedOrdinals.count, "case \(case_): pages of \(text)")
            if let mismatch = (0..<min(collected.count, expectedOrdinals.count)).first(where: {
                collected[$0] != expectedOrdinals[$0]
            }) {
                Issue.record("case \(case_): page position \(mismatch) differs for \(text)")
            }
            let prod = evaluator.evaluate(.labels([.exact("prod")]))
            #expect(
                result.facets.map(\.count) == [expected.intersectionCount(prod), 0], "case \(case_): facets of \(text)")
            if collected != expectedOrdinals || result.count != expected.count { return }
        }
    }

    @Test func bulkChangeByQueryMatchesTheModel() throws {
        let (fixture, model) = try Self.makeIndex(seed: 21)
        let evaluator = NaiveEvaluator(model: model)
        let query = try PreparedQuery("under:prod AND NOT label:critical")
        let expected = evaluator.evaluate(query.expression)
        let outcome = try fixture.store.write { writer in
            try writer.namespace(.default).apply(.append(["reviewed"]), toAssetsMatching: query)
        }
        #expect(outcome.matched == expected.count)
        #expect(outcome.changed == expected.count)
        #expect(try fixture.run("label:reviewed").count == expected.count)
        #expect(try fixture.store.read { try $0.verify() }.isClean)
    }
}

/// The query semantics, written as plainly as possible over the model.
struct NaiveEvaluator {
    let model: DifferentialQueryTests.Model

    func evaluate(_ expression: QueryExpression) -> RoaringBitmap {
        var universe = RoaringBitmap(model.assets.map(\.ordinal))
        universe.formUnion(model.fillers)
        return evaluate(expression, universe: universe)
    }

    private func evaluate(_ expression: QueryExpression, universe: RoaringBitmap) -> RoaringBitmap {
        func matching(_ predicate: (Set<String>) -> Bool) -> RoaringBitmap {
            RoaringBitmap(model.assets.filter { predicate($0.labels) }.map(\.ordinal))
        }
        switch expression {
        case .all: return universe
        case .hasLabel: return matching { !$0.isEmpty }
        case .noLabel: return universe.subtracting(matching { !$0.isEmpty })
        case .labels(let patterns):
            return matching { labels in
                patterns.contains { pattern in
                    switch pattern {
                    case .exact(let name): labels.contains(name)
                    case .prefix(let prefix): labels.contains { $0.hasPrefix(prefix) || path(of: $0).hasPrefix(prefix) }
                    }
                }
            }
        case .under(let names):
            return matching { labels in labels.contains { label in names.contains { isUnder(label, $0) } } }
        case .assets(let references):
            let ids = Set(references.compactMap { if case .id(let id) = $0 { id } else { nil } })
            return RoaringBitmap(model.assets.filter { ids.contains($0.key) }.map(\.ordinal))
        case .not(let operand): return universe.subtracting(evaluate(operand, universe: universe))
        case .and(let operands):
            return operands.dropFirst().reduce(evaluate(operands[0], universe: universe)) {
                $0.intersection(evaluate($1, universe: universe))
            }
        case .or(let operands):
            return operands.reduce(RoaringBitmap()) { $0.union(evaluate($1, universe: universe)) }
        }
    }

    /// The label's path: its ancestors' names and its own, joined by `/` (no name here has one).
    private func path(of label: String) -> String {
        model.parents[label].map { path(of: $0) + "/" + label } ?? label
    }

    private func isUnder(_ label: String, _ ancestor: String) -> Bool {
        var current: String? = label
        while let name = current {
            if name == ancestor { return true }
            current = model.parents[name]
        }
        return false
    }
}

/// Random queries over the model's names (and some names that are no label).
struct ExecutorQueryGenerator {
    var random: SeededGenerator
    let model: DifferentialQueryTests.Model

    init(seed: UInt64, model: DifferentialQueryTests.Model) {
        random = SeededGenerator(seed: seed &* 31)
        self.model = model
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    mutating func name() -> String {
        chance(8) ? "missing-\(Int.random(in: 0..<3, using: &random))" : model.labelNames.randomElement(using: &random)!
    }

    mutating func expression(depth: Int) -> QueryExpression {
        if depth == 0 || chance(35) { return term() }
        switch Int.random(in: 0..<3, using: &random) {
        case 0: return .not(expression(depth: depth - 1))
        case 1: return .and((0..<Int.random(in: 2...3, using: &random)).map { _ in expression(depth: depth - 1) })
        default: return .or((0..<Int.random(in: 2...3, using: &random)).map { _ in expression(depth: depth - 1) })
        }
    }

    mutating func term() -> QueryExpression {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return .all
        case 1: return .hasLabel
        case 2: return .noLabel
        case 3: return .under([name()])
        case 4:
            let ids = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                chance(80)
                    ? model.assets.randomElement(using: &random)!.key
                    : Int64.random(in: -9_999_999...(-9_000_000), using: &random)
            }
            return .assets(ids.map { .id($0) })
        case 5:
            let prefix = String(name().prefix(Int.random(in: 0...4, using: &random)))
            return .labels([.prefix(prefix)])
        default:
            return .labels((0..<Int.random(in: 1...2, using: &random)).map { _ in .exact(name()) })
        }
    }
}
