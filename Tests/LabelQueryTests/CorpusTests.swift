import Testing

@testable import LabelQuery

/// `Grammar/corpus/` pins the parser to the grammar and the language reference.
@Suite struct CorpusTests {
    @Test func validQueriesParseToTheirCanonicalText() throws {
        let rows = try Corpus.rows("valid.txt")
        #expect(rows.count >= 80)
        for (line, fields) in rows {
            try #require(fields.count == 2, "valid.txt:\(line) needs QUERY<TAB>CANONICAL")
            let (query, canonical) = (fields[0], fields[1])
            do {
                let expression = try QueryParser().parse(query)
                #expect(expression.canonicalText == canonical, "valid.txt:\(line)")
                let reparsed = try QueryParser().parse(canonical)
                #expect(reparsed == expression, "valid.txt:\(line): the canonical text parses differently")
                #expect(
                    reparsed.canonicalText == canonical, "valid.txt:\(line): the canonical text is not a fixed point")
            } catch {
                Issue.record("valid.txt:\(line): \(error.description)")
            }
        }
    }

    @Test func invalidQueriesFailWithTheirSpanAndMessage() throws {
        let rows = try Corpus.rows("invalid.txt")
        #expect(rows.count >= 40)
        for (line, fields) in rows {
            try #require(fields.count == 4, "invalid.txt:\(line) needs QUERY<TAB>OFFSET<TAB>LENGTH<TAB>MESSAGE")
            let query = fields[0]
            guard let error = syntaxError(query) else {
                Issue.record("invalid.txt:\(line): `\(query)` parsed")
                continue
            }
            #expect(error.offset == Int(fields[1]), "invalid.txt:\(line)")
            #expect(error.length == Int(fields[2]), "invalid.txt:\(line)")
            #expect(error.message == fields[3], "invalid.txt:\(line)")
            #expect(error.offset + error.length <= query.utf8.count, "invalid.txt:\(line)")
            #expect(!error.expected.isEmpty, "invalid.txt:\(line)")
        }
    }
}
