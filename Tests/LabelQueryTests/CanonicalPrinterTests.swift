import Testing

@testable import LabelQuery

private let a = QueryExpression.labels([.exact("a")])
private let b = QueryExpression.labels([.exact("b")])
private let c = QueryExpression.labels([.exact("c")])

@Suite struct CanonicalPrinterTests {
    @Test func termsPrintInTheirShortestForm() {
        #expect(QueryExpression.all.canonicalText == "*")
        #expect(QueryExpression.hasLabel.canonicalText == "has:label")
        #expect(QueryExpression.noLabel.canonicalText == "no:label")
        #expect(
            QueryExpression.labels([.exact("a"), .prefix("team-"), .prefix("")]).canonicalText == "label:a,team-*,*")
        #expect(QueryExpression.under(["eng", "a b"]).canonicalText == #"under:eng,"a b""#)
        #expect(
            QueryExpression.assets([.id(-7), .id(.min), .typed(type: "form", id: "12"), .typed(type: "t", id: "a b")])
                .canonicalText == #"asset:-7,-9223372036854775808,form:12,t:"a b""#)
    }

    @Test func namesAreQuotedOnlyWhenNeeded() {
        let cases: [(String, String)] = [
            ("prod", "prod"), ("k8s:prod", "k8s:prod"), ("-x", "-x"), ("and", "and"), ("日本", "日本"),
            ("a b", #""a b""#), ("a\u{A0}b", "\"a\u{A0}b\""), ("a,b", #""a,b""#), ("(x)", #""(x)""#),
            (#"say "hi""#, #""say \"hi\"""#), (#"a\b"#, #""a\\b""#), ("a*", #""a*""#), ("*a", #""*a""#),
            ("", #""""#),
        ]
        for (name, printed) in cases {
            #expect(QueryExpression.labels([.exact(name)]).canonicalText == "label:" + printed, "\(name)")
        }
        #expect(QueryExpression.labels([.prefix("a b")]).canonicalText == #"label:"a b"*"#)
        #expect(QueryExpression.labels([.prefix("a*")]).canonicalText == #"label:"a*"*"#)
    }

    @Test func keywordsAreUpperCaseWithExplicitAnd() {
        #expect(QueryExpression.and([a, b, c]).canonicalText == "label:a AND label:b AND label:c")
        #expect(QueryExpression.or([a, b]).canonicalText == "label:a OR label:b")
        #expect(QueryExpression.not(a).canonicalText == "NOT label:a")
        #expect(QueryExpression.not(.not(a)).canonicalText == "NOT NOT label:a")
    }

    @Test func parenthesesAppearOnlyWhereTheyCarryStructure() {
        #expect(QueryExpression.or([.and([a, b]), c]).canonicalText == "label:a AND label:b OR label:c")
        #expect(QueryExpression.and([.or([a, b]), c]).canonicalText == "(label:a OR label:b) AND label:c")
        #expect(QueryExpression.and([.and([a, b]), c]).canonicalText == "(label:a AND label:b) AND label:c")
        #expect(QueryExpression.or([a, .or([b, c])]).canonicalText == "label:a OR (label:b OR label:c)")
        #expect(QueryExpression.not(.and([a, b])).canonicalText == "NOT (label:a AND label:b)")
        #expect(QueryExpression.not(.or([a, b])).canonicalText == "NOT (label:a OR label:b)")
        #expect(
            QueryExpression.and([.not(a), .not(.or([b, c]))]).canonicalText
                == "NOT label:a AND NOT (label:b OR label:c)")
    }

    @Test func descriptionIsTheCanonicalText() {
        let expression = QueryExpression.or([.and([a, .not(b)]), .assets([.id(1)])])
        #expect(expression.description == expression.canonicalText)
        #expect("\(expression)" == "label:a AND NOT label:b OR asset:1")
        #expect(LabelPattern.prefix("x y").description == #""x y"*"#)
        #expect(AssetReference.typed(type: "form", id: "a,b").description == #"form:"a,b""#)
    }
}
