import Foundation
import Testing

@testable import LabelQuery

/// `Grammar/query.ebnf` and `Grammar/README.md` describe what the parser does.
@Suite struct GrammarDocumentTests {
    private static func document(_ name: String) throws -> String {
        try String(contentsOf: Corpus.directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The code points of a character-class rule such as `WhiteSpace ::= [#x9-#xD] | #x20`.
    private static func codePoints(ofRule rule: String, in grammar: String) throws -> Set<UInt32> {
        let line = try #require(grammar.split(separator: "\n").first { $0.hasPrefix(rule + " ") })
        var points = Set<UInt32>()
        for alternative in line.split(separator: "::=")[1].split(separator: "|") {
            let bounds = alternative.split(separator: "#x").map {
                UInt32($0.prefix { $0.isHexDigit }, radix: 16)
            }.compactMap { $0 }
            if bounds.count == 1 { points.insert(bounds[0]) }
            if bounds.count == 2 { points.formUnion(bounds[0]...bounds[1]) }
        }
        return points
    }

    @Test func grammarCharacterClassesMatchTheScanner() throws {
        let grammar = try Self.document("query.ebnf")
        let whitespace = try Self.codePoints(ofRule: "WhiteSpace", in: grammar)
        let control = try Self.codePoints(ofRule: "Control", in: grammar)
        for value in UInt32(0)...0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(whitespace.contains(value) == QueryCharacters.isWhitespace(scalar), "U+\(value)")
            #expect(control.contains(value) == QueryCharacters.isControl(scalar), "U+\(value)")
            #expect(scalar.properties.isWhitespace == QueryCharacters.isWhitespace(scalar), "U+\(value)")
            #expect((scalar.properties.generalCategory == .control) == QueryCharacters.isControl(scalar), "U+\(value)")
        }
    }

    @Test func grammarNamesEveryFieldAndKeyword() throws {
        let grammar = try Self.document("query.ebnf")
        for literal in ["'label:'", "'under:'", "'has:label'", "'no:label'", "'asset:'", "'*'", "'-'", "'('", "')'"] {
            #expect(grammar.contains(literal), "\(literal)")
        }
        for rule in [
            "AND          ::= [Aa] [Nn] [Dd]", "OR           ::= [Oo] [Rr]", "NOT          ::= [Nn] [Oo] [Tt]",
        ] {
            #expect(grammar.contains(rule), "\(rule)")
        }
        for field in FieldSuggestion.knownFields {
            #expect(grammar.contains("'\(field):"), "\(field)")
        }
    }

    @Test func readmeListsEveryLimitWithItsDefault() throws {
        let readme = try Self.document("README.md")
        let limits = QueryLimits()
        let rows: [(String, Int)] = [
            ("maxLength", limits.maxLength), ("maxDepth", limits.maxDepth), ("maxTerms", limits.maxTerms),
            ("maxAssetReferences", limits.maxAssetReferences), ("maxNameLength", limits.maxNameLength),
            ("maxAssetTypeLength", limits.maxAssetTypeLength), ("maxAssetIDLength", limits.maxAssetIDLength),
        ]
        for (name, value) in rows {
            #expect(readme.contains("| `\(name)` | \(value) |"), "\(name)")
        }
    }

    @Test func readmeExamplesParseToTheirCanonicalForm() throws {
        let readme = try Self.document("README.md")
        let section = try #require(
            readme.components(separatedBy: "<!-- examples:begin -->").last?
                .components(separatedBy: "<!-- examples:end -->").first)
        var count = 0
        for row in section.split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.components(separatedBy: "` | `")
            try #require(cells.count == 2, "\(row)")
            let query = String(cells[0].dropFirst(3))
            let canonical = String(cells[1].dropLast(3))
            #expect((try? QueryParser().parse(query).canonicalText) == canonical, "\(query)")
            count += 1
        }
        #expect(count >= 10)
    }

    @Test func readmeShowsTheActualRendering() throws {
        let readme = try Self.document("README.md")
        for query in ["label:prod AND lable:x", "label:a\nAND (label:b\nOR label:c"] {
            let rendered = try #require(syntaxError(query)).rendered(for: query)
            #expect(readme.contains("```\n\(rendered)\n```"), "\(query)")
        }
    }
}
