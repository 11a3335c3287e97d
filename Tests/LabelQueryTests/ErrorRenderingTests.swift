import Testing

@testable import LabelQuery

private func rendering(_ text: String, width: Int = 100) throws -> String {
    try #require(syntaxError(text)).rendered(for: text, width: width)
}

@Suite struct ErrorRenderingTests {
    @Test func singleLineQueriesShowACaretUnderTheSpan() throws {
        #expect(
            try rendering("label:prod AND lable:x") == """
                error: unknown field `lable`; did you mean `label`?
                  label:prod AND lable:x
                                 ^~~~~
                hint: the fields are `label:`, `under:`, `has:`, `no:` and `asset:`
                """)
    }

    @Test func emptySpansShowOneCaret() throws {
        #expect(
            try rendering("label:prod label:") == """
                error: expected a label name after `label:`
                  label:prod label:
                                   ^
                hint: write a name, as in `label:prod`, or quote it, as in `label:"needs review"`
                """)
    }

    @Test func caretsCountCharacters() throws {
        #expect(
            try rendering("label:日本 e\u{301}tude") == """
                error: `e\u{301}tude` is not a term
                  label:日本 e\u{301}tude
                           ^~~~~
                hint: did you mean `label:e\u{301}tude`?
                """)
    }

    @Test func tabsAndControlCharactersKeepTheCaretAligned() throws {
        #expect(
            try rendering("label:a\tlabel:b\u{1}") == """
                error: control character U+0001 is not allowed in a name
                  label:a label:b\u{FFFD}
                                 ^
                hint: remove it; names cannot contain control characters, not even in quotes
                """)
    }

    @Test func multiLineQueriesShowTheLineNumber() throws {
        #expect(
            try rendering("label:a\nAND (label:b\nOR label:c") == """
                error: unclosed parenthesis opened at line 2, column 5
                 2 | AND (label:b
                   |     ^
                hint: add a `)` to close it
                """)
    }

    @Test func longLinesShowAWindowAroundTheSpan() throws {
        let text = String(repeating: "label:a ", count: 20) + "lable:x " + String(repeating: "label:b ", count: 20)
        #expect(
            try rendering(text, width: 30) == """
                error: unknown field `lable`; did you mean `label`?
                  …a label:a lable:x label:b labe…
                             ^~~~~
                hint: the fields are `label:`, `under:`, `has:`, `no:` and `asset:`
                """)
        let atStart = try rendering("lable:x " + String(repeating: "label:b ", count: 20), width: 20)
        #expect(atStart.split(separator: "\n")[1] == "  lable:x label:b labe…")
        #expect(atStart.split(separator: "\n")[2] == "  ^~~~~")
    }

    @Test func spansLongerThanTheWindowAreCut() throws {
        let text = "label:\"" + String(repeating: "x", count: 300)
        let lines = try rendering(text, width: 40).split(separator: "\n")
        #expect(lines[1] == "  label:\"" + String(repeating: "x", count: 33) + "…")
        #expect(lines[2] == "        ^" + String(repeating: "~", count: 33))
    }

    @Test func renderingAnotherQueryDoesNotCrash() throws {
        let error = try #require(syntaxError("label:a OR OR label:b"))
        #expect(error.rendered(for: "").hasPrefix("error: expected a term between `OR` and `OR`"))
        #expect(error.rendered(for: "x").contains("hint:"))
    }
}
