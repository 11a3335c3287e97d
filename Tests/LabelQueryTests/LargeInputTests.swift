import Testing

@testable import LabelQuery

/// Large id lists are an expected use (a client's selection pasted into a query). How fast they
/// parse is measured by the `parse:` benchmarks in `Benchmarks/`; these check the result.
@Suite struct LargeInputTests {
    @Test func aHundredThousandAssetIDsParse() throws {
        let ids = (1...100_000).map { Int64($0) * 7_919 - 350_000 }
        let text = "asset:" + ids.map(String.init).joined(separator: ",")
        #expect(try QueryParser().parse(text) == .assets(ids.map(AssetReference.id)))
    }

    @Test func aHundredThousandTypedIDsParse() throws {
        let text = "asset:" + (1...100_000).map { "form:\($0 * 31)" }.joined(separator: ",")
        guard case .assets(let references) = try QueryParser().parse(text) else {
            Issue.record("expected an asset list")
            return
        }
        #expect(references.count == 100_000)
        #expect(references.first == .typed(type: "form", id: "31"))
        #expect(references.last == .typed(type: "form", id: "3100000"))
    }
}
