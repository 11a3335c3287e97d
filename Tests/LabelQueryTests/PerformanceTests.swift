import Testing

@testable import LabelQuery

/// Large id lists are an expected use; parsing them must stay linear.
@Suite struct PerformanceTests {
    @Test func aHundredThousandAssetIDsParseQuickly() throws {
        let ids = (1...100_000).map { Int64($0) * 7_919 - 350_000 }
        let text = "asset:" + ids.map(String.init).joined(separator: ",")
        let clock = ContinuousClock()
        var expression: QueryExpression?
        let elapsed = try clock.measure { expression = try QueryParser().parse(text) }
        #expect(expression == .assets(ids.map(AssetReference.id)))
        #expect(elapsed < .seconds(1))
        print("100,000 asset ids (\(text.utf8.count) bytes): \(elapsed)")
    }

    @Test func aHundredThousandTypedIDsParseQuickly() throws {
        let text = "asset:" + (1...100_000).map { "form:\($0 * 31)" }.joined(separator: ",")
        let clock = ContinuousClock()
        var expression: QueryExpression?
        let elapsed = try clock.measure { expression = try QueryParser().parse(text) }
        guard case .assets(let references) = expression else {
            Issue.record("expected an asset list")
            return
        }
        #expect(references.count == 100_000)
        #expect(references.last == .typed(type: "form", id: "3100000"))
        #expect(elapsed < .seconds(1))
        print("100,000 typed asset ids (\(text.utf8.count) bytes): \(elapsed)")
    }

    @Test func parsingTimeGrowsLinearly() throws {
        func time(_ count: Int) throws -> Duration {
            let text = "asset:" + (0..<count).map(String.init).joined(separator: ",")
            return try ContinuousClock().measure { _ = try QueryParser().parse(text) }
        }
        _ = try time(10_000)
        let small = try time(25_000)
        let large = try time(100_000)
        // Four times the input; a quadratic parser would take about sixteen times as long.
        #expect(large < small * 10)
    }
}
