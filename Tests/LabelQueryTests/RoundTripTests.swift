import Testing

@testable import LabelQuery

/// The canonical printer and the parser are inverses, checked on seeded random inputs.
@Suite struct RoundTripTests {
    @Test func parsingThePrintedExpressionGivesItBack() throws {
        var generator = QueryGenerator(seed: 0x5EED_0001)
        for index in 0..<5_000 {
            let expression = generator.expression(depth: 5)
            let text = expression.canonicalText
            do {
                let parsed = try QueryParser().parse(text)
                #expect(parsed == expression, "case \(index): \(text)")
                if parsed != expression { return }
            } catch {
                Issue.record("case \(index): `\(text)` failed: \(error.description)")
                return
            }
        }
    }

    @Test func printingIsIdempotentOnGeneratedTexts() throws {
        var generator = QueryGenerator(seed: 0x5EED_0002)
        for index in 0..<5_000 {
            let text = generator.text(depth: 5)
            do {
                let once = try QueryParser().parse(text).canonicalText
                let twice = try QueryParser().parse(once).canonicalText
                #expect(once == twice, "case \(index): \(text)")
                if once != twice { return }
            } catch {
                Issue.record("case \(index): `\(text)` failed: \(error.description)")
                return
            }
        }
    }

    @Test func generatedExpressionsCoverEveryConstruct() {
        var generator = QueryGenerator(seed: 0x5EED_0001)
        var seen = Set<String>()
        func visit(_ expression: QueryExpression) {
            switch expression {
            case .all: seen.insert("all")
            case .hasLabel: seen.insert("has")
            case .noLabel: seen.insert("no")
            case .labels(let patterns):
                for pattern in patterns {
                    if case .prefix = pattern { seen.insert("prefix") } else { seen.insert("exact") }
                }
            case .under: seen.insert("under")
            case .assets(let references):
                for reference in references {
                    if case .id = reference { seen.insert("id") } else { seen.insert("typed") }
                }
            case .not(let operand):
                seen.insert("not")
                visit(operand)
            case .and(let operands):
                seen.insert("and")
                operands.forEach(visit)
            case .or(let operands):
                seen.insert("or")
                operands.forEach(visit)
            }
        }
        for _ in 0..<200 { visit(generator.expression(depth: 5)) }
        #expect(seen == ["all", "has", "no", "prefix", "exact", "under", "id", "typed", "not", "and", "or"])
    }
}
