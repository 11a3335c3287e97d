import Testing

@testable import LabelQuery

/// Every limit has its own error, names itself in the message and fails fast on hostile input.
@Suite struct LimitTests {
    private static let megabyte = 1 << 20

    @Test func defaultsAreTheDocumentedValues() {
        let limits = QueryLimits()
        #expect(limits.maxLength == 4 * 1024 * 1024)
        #expect(limits.maxDepth == 64)
        #expect(limits.maxTerms == 10_000)
        #expect(limits.maxAssetReferences == 1_000_000)
        #expect(limits.maxNameLength == 255)
        #expect(limits.maxAssetTypeLength == 64)
        #expect(limits.maxAssetIDLength == 255)
    }

    /// The parser stops at the depth limit instead of reading the rest (the time limit guards
    /// against a hang, not a speed).
    @Test(.timeLimit(.minutes(1))) func aMegabyteOfOpeningParenthesesHitsTheDepthLimit() throws {
        let text = String(repeating: "(", count: Self.megabyte)
        let e = try #require(syntaxError(text))
        #expect(e.kind == .tooDeep(limit: 64))
        #expect((e.offset, e.length) == (64, 1))
        #expect(e.message == "the query nests deeper than maxDepth (64)")
    }

    @Test(.timeLimit(.minutes(1))) func aMegabyteOfNegationsHitsTheDepthLimit() throws {
        for (unit, offset) in [("NOT ", 256), ("-", 64), ("not(", 128), ("-(", 64)] {
            let text = String(repeating: unit, count: Self.megabyte / unit.utf8.count)
            let e = try #require(syntaxError(text), "\(unit)")
            #expect(e.kind == .tooDeep(limit: 64), "\(unit)")
            #expect(e.offset == offset, "\(unit)")
        }
    }

    @Test func nestingUpToTheLimitParses() throws {
        let parentheses = String(repeating: "(", count: 64) + "label:a" + String(repeating: ")", count: 64)
        #expect(try QueryParser().parse(parentheses) == .labels([.exact("a")]))
        var expected = QueryExpression.all
        for _ in 0..<64 { expected = .not(expected) }
        let negations = try QueryParser().parse(String(repeating: "NOT ", count: 64) + "*")
        #expect(negations == expected)
        #expect(negations.canonicalText == String(repeating: "NOT ", count: 64) + "*")
        // Parentheses and negations share the budget; siblings do not add up.
        let mixed = String(repeating: "NOT (", count: 32) + "*" + String(repeating: ")", count: 32)
        #expect(throws: Never.self) { try QueryParser().parse(mixed + " AND " + mixed) }
        #expect(syntaxError("-" + mixed)?.kind == .tooDeep(limit: 64))
        #expect(syntaxError("(((*)))", limits: QueryLimits(maxDepth: 2))?.kind == .tooDeep(limit: 2))
    }

    @Test func overLongNames() throws {
        let limit = String(repeating: "a", count: 255)
        #expect(try QueryParser().parse("label:\(limit)") == .labels([.exact(limit)]))
        #expect(try QueryParser().parse("label:\(limit)*") == .labels([.prefix(limit)]))
        let e = try #require(syntaxError("label:x,\(limit)a"))
        #expect(e.kind == .nameTooLong(limit: 255))
        #expect((e.offset, e.length) == (8, 256))
        #expect(e.message == "the name is longer than maxNameLength (255 bytes)")
        #expect(syntaxError("under:\(limit)é")?.kind == .nameTooLong(limit: 255))
        #expect(syntaxError("label:\(limit)a*")?.kind == .nameTooLong(limit: 255))
        // The limit applies to the name, not to its escaped spelling.
        let escaped = "label:\"" + String(repeating: "\\\\", count: 255) + "\""
        #expect(try QueryParser().parse(escaped) == .labels([.exact(String(repeating: "\\", count: 255))]))
    }

    @Test func overLongAssetTypesAndIDs() throws {
        let type = "t" + String(repeating: "y", count: 63)
        #expect(throws: Never.self) { try QueryParser().parse("asset:\(type):1") }
        let longType = try #require(syntaxError("asset:\(type)y:1"))
        #expect(longType.kind == .assetTypeTooLong(limit: 64))
        #expect((longType.offset, longType.length) == (6, 65))
        #expect(longType.message == "the asset type is longer than maxAssetTypeLength (64 bytes)")
        let id = String(repeating: "9", count: 255)
        #expect(throws: Never.self) { try QueryParser().parse("asset:form:\(id)") }
        let longID = try #require(syntaxError("asset:form:\"\(id)9\""))
        #expect(longID.kind == .assetIDTooLong(limit: 255))
        #expect((longID.offset, longID.length) == (11, 258))
        #expect(longID.message == "the asset id is longer than maxAssetIDLength (255 bytes)")
    }

    @Test func tooManyTerms() throws {
        let names = (0..<10_000).map { "n\($0)" }
        #expect(throws: Never.self) { try QueryParser().parse("label:" + names.joined(separator: ",")) }
        let text = "label:" + names.joined(separator: ",") + ",extra"
        let e = try #require(syntaxError(text))
        #expect(e.kind == .tooManyTerms(limit: 10_000))
        #expect(e.fragment == "extra")
        #expect(e.message == "the query has more terms than maxTerms (10000)")
        // Every `*`, presence test, `asset:` term and list item counts one.
        let limits = QueryLimits(maxTerms: 5)
        #expect(syntaxError("* has:label no:label asset:1,2,3 label:a", limits: limits) == nil)
        #expect(syntaxError("* has:label no:label asset:1 label:a under:b", limits: limits)?.fragment == "b")
        #expect(syntaxError("label:a,b,c,d,e,f", limits: limits)?.fragment == "f")
        #expect(syntaxError("* * * * * *", limits: limits)?.offset == 10)
    }

    @Test func tooManyAssetReferences() throws {
        let limits = QueryLimits(maxAssetReferences: 5)
        #expect(syntaxError("asset:1,2,3 OR asset:4,5", limits: limits) == nil)
        let e = try #require(syntaxError("asset:1,2,3 OR asset:4,5,form:x", limits: limits))
        #expect(e.kind == .tooManyAssetReferences(limit: 5))
        #expect(e.fragment == "form:x")
        #expect(e.message == "the query has more asset ids than maxAssetReferences (5)")
        let defaults = "asset:" + String(repeating: "0,", count: 1_000_000) + "0"
        #expect(syntaxError(defaults)?.kind == .tooManyAssetReferences(limit: 1_000_000))
    }

    @Test func overLongQueries() throws {
        let text = String(repeating: "*", count: 4 * Self.megabyte + 1)
        let e = try #require(syntaxError(text))
        #expect(e.kind == .queryTooLong(limit: 4_194_304))
        #expect((e.offset, e.length) == (4_194_304, 1))
        #expect(e.message == "the query is longer than maxLength (4194304 bytes)")
        let short = QueryLimits(maxLength: 7)
        #expect(syntaxError("label:a", limits: short) == nil)
        // The span starts on a character boundary even when the limit falls inside one.
        let cut = try #require(syntaxError("label:é", limits: short))
        #expect((cut.offset, cut.length, cut.fragment) == (6, 2, "é"))
    }
}
