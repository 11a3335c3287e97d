import Foundation
import Testing

@testable import LabelBench

@Suite struct SpecAndQueryTests {
    @Test func specDecodesPartialJSONWithDefaults() throws {
        let spec = try JSONDecoder().decode(WorkloadSpec.self, from: Data(#"{"assets":20000,"seed":7}"#.utf8))
        #expect(spec == WorkloadSpec(assets: 20_000, seed: 7))
        #expect(WorkloadSpec().assets == 1_000_000 && WorkloadSpec().labels == 2_000)
    }

    @Test(arguments: [
        WorkloadSpec(assets: 0),
        WorkloadSpec(labels: 10),
        WorkloadSpec(meanLabelsPerAsset: .nan),
        WorkloadSpec(popularLabels: 9),
        WorkloadSpec(labels: 64, rareLabelFraction: 0.95),
        WorkloadSpec(unlabeledFraction: 0.9),
    ])
    func invalidSpecsAreRejected(_ spec: WorkloadSpec) {
        #expect(throws: WorkloadError.self) { try spec.validate() }
    }

    @Test func queryTextParenthesisesCompoundOperands() {
        let names = ["a", "b", "c", "d", "e"]
        let nested = ShapeExpression.and([
            .and([.label(0), .or([.label(1), .label(2)])]), .not(.or([.label(3), .label(4)])),
        ])
        #expect(nested.text(labelNames: names) == "(label:a AND (label:b OR label:c)) AND NOT (label:d OR label:e)")
        #expect(ShapeExpression.and([.label(0), .not(.label(1))]).text(labelNames: names) == "label:a AND NOT label:b")
        #expect(nested.labels == [0, 1, 2, 3, 4])
        #expect(
            nested.flattened == .and([.label(0), .or([.label(1), .label(2)]), .not(.or([.label(3), .label(4)]))]))
    }

    @Test func everyShapeIsInstantiatedWithDistinctLeafLabels() throws {
        let workload = try Workload.generate(smallSpec())
        let queries = workload.queries()
        let isLeaf = workload.leafFlags()
        #expect(queries.map(\.shape) == QueryShape.allCases)
        for query in queries {
            #expect(query.id == query.shape.rawValue)
            let labels = query.expression.labels
            #expect(Set(labels).count == labels.count, "\(query.text)")
            #expect(labels.allSatisfy { isLeaf[$0] }, "\(query.text)")
            #expect(query.text == query.expression.text(labelNames: workload.labels.map(\.name)))
        }
        let classOf = { (query: BenchQuery) in query.expression.labels.map { workload.labels[$0].popularity } }
        let byShape = Dictionary(uniqueKeysWithValues: queries.map { ($0.shape, $0) })
        #expect(classOf(byShape[.singlePopular]!) == [.popular])
        #expect(classOf(byShape[.singleRare]!) == [.rare])
        #expect(classOf(byShape[.popularAndNotPopular]!) == [.popular, .popular])
        #expect(classOf(byShape[.rareAndPopular]!) == [.rare, .popular])
        #expect(classOf(byShape[.fiveMidUnion]!) == Array(repeating: .mid, count: 5))
        #expect(classOf(byShape[.midAndMid]!) == [.mid, .mid])
        #expect(byShape[.pureNot]!.text.hasPrefix("NOT label:"))
    }
}

@Suite struct LatencySampleTests {
    @Test func statisticsOfAKnownSample() {
        let sample = LatencySample(nanoseconds: Array(1...100).reversed().map(Int64.init))
        #expect(sample.count == 100)
        #expect(sample.median == 50.5)
        #expect(sample.p99 == 99)
        #expect(sample.percentile(100) == 100)
        #expect(sample.mean == 50.5)
        #expect(sample.minimum == 1 && sample.maximum == 100)
        #expect(LatencySample(nanoseconds: [5, 1, 9]).median == 5)
    }

    @Test func measureRunsWarmUpThenIterations() {
        var calls = 0
        let sample = LatencySample.measure(iterations: 10, warmUp: 2) {
            calls += 1
            return calls
        }
        #expect(calls == 12)
        #expect(sample.nanoseconds.count == 10)
        #expect(sample.nanoseconds.allSatisfy { $0 >= 0 })
    }

    @Test func codableKeepsTheMeasurements() throws {
        let sample = LatencySample(nanoseconds: [3, 1, 2])
        let decoded = try JSONDecoder().decode(LatencySample.self, from: JSONEncoder().encode(sample))
        #expect(decoded == sample)
        #expect(decoded.nanoseconds == [3, 1, 2])
    }

    @Test func durationsConvertToNanoseconds() {
        #expect(LatencySample.nanoseconds(.seconds(2) + .nanoseconds(5)) == 2_000_000_005)
    }
}
