import Testing

@testable import LabelQuery

private func error(_ text: String) throws -> QuerySyntaxError {
    try #require(syntaxError(text), "`\(text)` should not parse")
}

@Suite struct SyntaxErrorTests {
    @Test func missingLabelNameAtTheEnd() throws {
        let e = try error("label:prod label:")
        #expect(e.kind == .expectedLabelName(after: "label:"))
        #expect((e.offset, e.length, e.column, e.endColumn) == (17, 0, 18, 18))
        #expect(e.fragment == "")
        #expect(e.message == "expected a label name after `label:`")
        #expect(e.expected == "a label name, a quoted name or `*`")
    }

    @Test func queryEndingAfterAnOperator() throws {
        let e = try error("label:prod AND")
        #expect(e.kind == .unexpectedEnd(after: "AND"))
        #expect((e.offset, e.length) == (14, 0))
        #expect(e.message == "the query ends after `AND`")
        #expect(try error("label:prod and  ").kind == .unexpectedEnd(after: "and"))
        #expect(try error("NOT").kind == .unexpectedEnd(after: "NOT"))
        #expect(try error("label:a -").kind == .unexpectedEnd(after: "-"))
    }

    @Test func unknownFieldSuggestsTheClosestField() throws {
        let e = try error("lable:x")
        #expect(e.kind == .unknownField("lable", suggestion: "label"))
        #expect((e.offset, e.length, e.fragment) == (0, 5, "lable"))
        #expect(e.message == "unknown field `lable`; did you mean `label`?")
        let suggestions = [
            "labels": "label", "Label": "label", "undr": "under", "unde": "under", "hsa": "has", "ha": "has",
            "n": "no", "assets": "asset", "aset": "asset",
        ]
        for (field, suggestion) in suggestions {
            #expect(try error("\(field):x").kind == .unknownField(field, suggestion: suggestion))
        }
        for field in ["tag", "xyz", "color", "!label"] {
            #expect(try error("\(field):x").kind == .unknownField(field, suggestion: nil))
        }
        #expect(try error("tag:x").hint == "the fields are `label:`, `under:`, `has:`, `no:` and `asset:`")
        #expect(try error("NOTlabel:x").hint == "put a space after `NOT`; keywords are whole words")
        #expect(try error("and-under:x").hint == "put a space after `and`; keywords are whole words")
    }

    @Test func unclosedParenthesisPointsAtTheOpeningOne() throws {
        let e = try error("(label:a")
        #expect(e.kind == .unclosedParenthesis)
        #expect((e.offset, e.length, e.column) == (0, 1, 1))
        #expect(e.message == "unclosed parenthesis opened at column 1")
        #expect(try error("label:b AND ((label:a)").column == 13)
        #expect(try error("label:b\nAND (label:a").message == "unclosed parenthesis opened at line 2, column 5")
    }

    @Test func unmatchedClosingParenthesis() throws {
        let e = try error("label:a)")
        #expect(e.kind == .unmatchedClosingParenthesis)
        #expect((e.offset, e.length, e.fragment) == (7, 1, ")"))
        #expect(e.message == "unmatched `)`")
        #expect(try error(")").kind == .unmatchedClosingParenthesis)
        #expect(try error("label:a AND )").kind == .unmatchedClosingParenthesis)
    }

    @Test func emptyQueriesSuggestTheStar() throws {
        for text in ["", " ", "\t\n ", "\u{3000}"] {
            let e = try error(text)
            #expect(e.kind == .emptyQuery)
            #expect(e.message == "the query is empty; use `*` for every asset")
            #expect(e.offset == 0 && e.length == text.utf8.count)
        }
    }

    @Test func unterminatedQuoteSpansToTheEndOfTheLine() throws {
        let e = try error(#"label:"abc"#)
        #expect(e.kind == .unclosedQuote)
        #expect((e.offset, e.length, e.fragment) == (6, 4, #""abc"#))
        #expect(e.message == "unterminated quoted name")
        let multiLine = try error("label:\"abc\nOR label:\"x\"")
        #expect(multiLine.kind == .unclosedQuote)
        #expect((multiLine.offset, multiLine.length) == (6, 4))
        #expect(try error(#"label:"abc\"#).kind == .unclosedQuote)
    }

    @Test func operatorsWithoutTerms() throws {
        let before = try error("AND label:a")
        #expect(before.kind == .missingTermBefore("AND"))
        #expect((before.offset, before.length) == (0, 3))
        #expect(before.message == "expected a term before `AND`")
        let between = try error("label:a OR OR label:b")
        #expect(between.kind == .missingTermBetween("OR", "OR"))
        #expect((between.offset, between.length, between.column) == (11, 2, 12))
        #expect(between.message == "expected a term between `OR` and `OR`")
        #expect(try error("(or label:a)").kind == .missingTermBefore("or"))
        #expect(try error("NOT AND label:a").kind == .missingTermBetween("NOT", "AND"))
        #expect(try error("(NOT)").kind == .missingTermBetween("NOT", ")"))
        #expect(try error("( )").kind == .emptyParentheses)
    }

    @Test func detachedMinusIsAnError() throws {
        let e = try error("label:a - label:b")
        #expect(e.kind == .detachedMinus)
        #expect((e.offset, e.length) == (8, 1))
    }

    @Test func invalidAssetIDs() throws {
        let letters = try error("asset:12x")
        #expect(letters.kind == .invalidAssetReference("12x"))
        #expect((letters.offset, letters.length) == (6, 3))
        let range = try error("asset:99999999999999999999")
        #expect(range.kind == .assetIDOutOfRange("99999999999999999999"))
        #expect(range.message == "asset id `99999999999999999999` is out of the 64-bit range")
        #expect(try error("asset:-9223372036854775809").kind == .assetIDOutOfRange("-9223372036854775809"))
        #expect(try error("asset:9223372036854775808").kind == .assetIDOutOfRange("9223372036854775808"))
        #expect(try error("asset:1,2,x").kind == .invalidAssetReference("x"))
        #expect(try error("asset:1,").kind == .expectedAssetReference(after: ","))
        #expect(try error("asset:form:").kind == .expectedAssetReference(after: "form:"))
        #expect(try error("asset:form:a*b").kind == .wildcardInAssetID)
        #expect(try error(#"asset:form:"""#).kind == .emptyName)
    }

    @Test func hasAndNoTakeOnlyLabel() throws {
        let e = try error("has:labels")
        #expect(e.kind == .invalidPresenceValue(field: "has", value: "labels"))
        #expect(e.hint == "write `has:label`")
        #expect(e.message == "`has:` takes only `label`, not `labels`")
        #expect(e.expected == "`label`")
        #expect(try error("no:").message == "expected `label` after `no:`")
        #expect(try error("no:prod").hint?.contains("`-label:prod`") == true)
        #expect(try error("has:label,label").kind == .listNotAllowed(field: "has"))
    }

    @Test func bareWordsSuggestALabelTerm() throws {
        let e = try error("label:a prod")
        #expect(e.kind == .bareWord("prod"))
        #expect(e.hint == "did you mean `label:prod`?")
        #expect(e.message == "`prod` is not a term")
        #expect(try error("team-*").hint == "did you mean `label:team-*`?")
        #expect(try error("needs\u{A0}review").hint == "did you mean `label:needs`?")
        #expect(try error("asset:1 2").hint == "did you mean `asset:2`? list ids without spaces: `asset:1,2`")
        #expect(try error("label:a && label:b").hint == "write `AND` to require both sides")
    }

    @Test func controlCharactersAreRejectedEvenInQuotes() throws {
        let bare = try error("label:a\u{1}b")
        #expect(bare.kind == .controlCharacter(1))
        #expect((bare.offset, bare.length) == (7, 1))
        #expect(bare.message == "control character U+0001 is not allowed in a name")
        #expect(try error("label:\"a\tb\"").kind == .controlCharacter(9))
        #expect(try error("label:\"a\u{85}b\"").kind == .controlCharacter(0x85))
        #expect(try error("label:a\u{9F}").length == 2)
        #expect(try error("\u{7F}").kind == .controlCharacter(0x7F))
    }

    @Test func namesFollowTheStarAndQuoteRules() throws {
        #expect(try error("label:a*b").kind == .misplacedWildcard)
        #expect(try error("label:a*b").offset == 7)
        #expect(try error("label:**").offset == 6)
        #expect(try error(#"label:"a"**"#).offset == 10)
        #expect(try error("under:team-*").kind == .prefixNotAllowed(field: "under"))
        #expect(try error("under:team-*").hint?.hasPrefix("use `label:team-*`") == true)
        #expect(try error(#"under:"a"*"#).kind == .prefixNotAllowed(field: "under"))
        #expect(try error(#"label:a"b""#).kind == .quoteInsideName)
        #expect(try error(#"label:"x"y"#).kind == .unexpectedCharacterAfterTerm("y"))
        #expect(try error("label:a(b)").kind == .unexpectedCharacterAfterTerm("("))
        #expect(try error(#"label:"""#).kind == .emptyName)
        #expect(try error(#"label:"a\n""#).kind == .invalidEscape(#"\n"#))
        #expect(try error(#"label:"a\é""#).kind == .invalidEscape(#"\é"#))
        #expect(try error(#"label:"a\é""#).length == 3)
    }

    @Test func listsAreWrittenWithoutSpaces() throws {
        #expect(try error("label:a, b").kind == .expectedLabelName(after: ","))
        #expect(try error("label:a, b").hint == "remove the space after `,`")
        #expect(try error("label:a ,b").kind == .unexpectedComma)
        #expect(try error("label:a,,b").kind == .expectedLabelName(after: ","))
        #expect(try error("label: prod").hint == "remove the space after `label:`")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let e = try error("label:日本 prod")
        #expect((e.offset, e.length) == (13, 4))
        #expect((e.line, e.column, e.endColumn) == (1, 10, 14))
        #expect(e.fragment == "prod")
        let accented = try error("label:e\u{301}tude \u{1F600}x")
        #expect(accented.column == 13)
        #expect(accented.endColumn == 15)
        #expect(accented.fragment == "\u{1F600}x")
    }

    @Test func linesAndColumnsOfMultiLineQueries() throws {
        let e = try error("label:a\nAND\n  label:b)")
        #expect((e.line, e.column, e.endColumn) == (3, 10, 11))
        #expect(e.description == "line 3, column 10: unmatched `)`")
        #expect(try error("label:a)").description == "column 8: unmatched `)`")
    }

    @Test func longFragmentsAreShortened() throws {
        let name = String(repeating: "é", count: 200)
        let e = try error("label:\(name)", limits: QueryLimits(maxNameLength: 10))
        #expect(e.length == 400)
        #expect(e.fragment == String(repeating: "é", count: 60) + "…")
        #expect(e.endColumn - e.column == 200)
    }

    @Test func messagesAreOneLineAndShort() throws {
        let long = String(repeating: "x", count: 500)
        let e = try error(long)
        #expect(e.message == "`\(String(repeating: "x", count: 39))…` is not a term")
        #expect(!e.message.contains("\n"))
    }
}

private func error(_ text: String, limits: QueryLimits) throws -> QuerySyntaxError {
    try #require(syntaxError(text, limits: limits), "`\(text)` should not parse")
}
