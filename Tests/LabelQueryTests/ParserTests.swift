import Testing

@testable import LabelQuery

private func parse(_ text: String) throws -> QueryExpression {
    try QueryParser().parse(text)
}

private let a = QueryExpression.labels([.exact("a")])
private let b = QueryExpression.labels([.exact("b")])
private let c = QueryExpression.labels([.exact("c")])

@Suite struct ParserTests {
    @Test func termsParseToTheirCases() throws {
        #expect(try parse("*") == .all)
        #expect(try parse("has:label") == .hasLabel)
        #expect(try parse("no:label") == .noLabel)
        #expect(try parse("label:prod") == .labels([.exact("prod")]))
        #expect(try parse("under:eng,ops") == .under(["eng", "ops"]))
        #expect(try parse("asset:123,456,-7") == .assets([.id(123), .id(456), .id(-7)]))
    }

    @Test func labelNamesMayContainColonsAndOtherPunctuation() throws {
        #expect(try parse("label:k8s:prod") == .labels([.exact("k8s:prod")]))
        #expect(try parse("label:-x") == .labels([.exact("-x")]))
        #expect(try parse("label:a\\b") == .labels([.exact("a\\b")]))
        #expect(try parse("label:日本") == .labels([.exact("日本")]))
    }

    @Test func labelNamesAreCaseSensitiveButKeywordsAreNot() throws {
        #expect(try parse("label:Prod") != parse("label:prod"))
        for keyword in ["AND", "and", "And", "aNd"] {
            #expect(try parse("label:a \(keyword) label:b") == .and([a, b]))
        }
        for keyword in ["OR", "or", "Or", "oR"] {
            #expect(try parse("label:a \(keyword) label:b") == .or([a, b]))
        }
        for keyword in ["NOT", "not", "Not"] {
            #expect(try parse("\(keyword) label:a") == .not(a))
        }
        #expect(try parse("label:and") == .labels([.exact("and")]))
    }

    @Test func quotedNamesUnescapeQuotesAndBackslashes() throws {
        #expect(try parse(#"label:"needs review""#) == .labels([.exact("needs review")]))
        #expect(try parse(#"label:"say \"hi\"""#) == .labels([.exact(#"say "hi""#)]))
        #expect(try parse(#"label:"a\\b""#) == .labels([.exact(#"a\b"#)]))
        #expect(try parse(#"label:"a,b (c)""#) == .labels([.exact("a,b (c)")]))
        #expect(try parse(#"label:"a*""#) == .labels([.exact("a*")]))
    }

    @Test func prefixPatternsAndMixedLists() throws {
        #expect(try parse("label:team-*") == .labels([.prefix("team-")]))
        #expect(try parse("label:*") == .labels([.prefix("")]))
        #expect(try parse(#"label:"team *"*"#) == .labels([.prefix("team *")]))
        #expect(try parse(#"label:""*"#) == .labels([.prefix("")]))
        #expect(
            try parse(#"label:prod,team-*,"a b",*"#)
                == .labels([.exact("prod"), .prefix("team-"), .exact("a b"), .prefix("")]))
    }

    @Test func assetReferencesMixNumbersAndTypedIDs() throws {
        #expect(
            try parse(#"asset:1,form:251464995493876,-2,doc:"a b",x:y:z"#)
                == .assets([
                    .id(1), .typed(type: "form", id: "251464995493876"), .id(-2), .typed(type: "doc", id: "a b"),
                    .typed(type: "x", id: "y:z"),
                ]))
        #expect(try parse("asset:9223372036854775807") == .assets([.id(.max)]))
        #expect(try parse("asset:-9223372036854775808") == .assets([.id(.min)]))
        #expect(try parse("asset:_a.b-c:1") == .assets([.typed(type: "_a.b-c", id: "1")]))
    }

    @Test func chainsOfOneOperatorAreOneNaryNode() throws {
        #expect(try parse("label:a AND label:b AND label:c") == .and([a, b, c]))
        #expect(try parse("label:a label:b label:c") == .and([a, b, c]))
        #expect(try parse("label:a AND label:b label:c") == .and([a, b, c]))
        #expect(try parse("label:a OR label:b OR label:c") == .or([a, b, c]))
    }

    @Test func parenthesesKeepTheWrittenNesting() throws {
        #expect(try parse("(label:a AND label:b) AND label:c") == .and([.and([a, b]), c]))
        #expect(try parse("label:a AND (label:b AND label:c)") == .and([a, .and([b, c])]))
        #expect(try parse("(label:a OR label:b) OR label:c") == .or([.or([a, b]), c]))
        #expect(try parse("((label:a))") == a)
        #expect(try parse("(((label:a OR label:b)))") == .or([a, b]))
        #expect(try parse("(label:a)(label:b)") == .and([a, b]))
    }

    @Test func precedenceIsNotThenAndThenOr() throws {
        #expect(try parse("label:a OR label:b AND label:c") == .or([a, .and([b, c])]))
        #expect(try parse("label:a AND label:b OR label:c") == .or([.and([a, b]), c]))
        #expect(try parse("NOT label:a AND label:b") == .and([.not(a), b]))
        #expect(try parse("NOT label:a OR label:b") == .or([.not(a), b]))
        #expect(try parse("NOT (label:a OR label:b)") == .not(.or([a, b])))
        #expect(
            try parse("label:a AND NOT label:b OR label:c AND label:a")
                == .or([.and([a, .not(b)]), .and([c, a])]))
    }

    @Test func negationsNestAsWritten() throws {
        #expect(try parse("NOT NOT label:a") == .not(.not(a)))
        #expect(try parse("-label:a") == .not(a))
        #expect(try parse("--label:a") == .not(.not(a)))
        #expect(try parse("-NOT label:a") == .not(.not(a)))
        #expect(try parse("-(label:a OR label:b)") == .not(.or([a, b])))
        #expect(try parse("label:a -label:b") == .and([a, .not(b)]))
        #expect(try parse("NOT(label:a)") == .not(a))
        #expect(try parse("-*") == .not(.all))
    }

    @Test func anyUnicodeWhitespaceSeparatesTokens() throws {
        for space in [" ", "\t", "\n", "\r\n", "\u{A0}", "\u{2003}", "\u{3000}", "\u{2028}", "\u{85}"] {
            #expect(
                try parse("label:a\(space)OR\(space)label:b") == .or([a, b]),
                "separator U+\(space.unicodeScalars.first!.value)")
        }
        #expect(try parse(" \t label:a \n") == a)
    }

    @Test func initializerParsesWithLimits() throws {
        #expect(try QueryExpression(parsing: "label:a") == a)
        #expect(throws: QuerySyntaxError.self) {
            try QueryExpression(parsing: "(((label:a)))", limits: QueryLimits(maxDepth: 2))
        }
    }
}
