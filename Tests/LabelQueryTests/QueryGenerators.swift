import LabelTestSupport

@testable import LabelQuery

/// Seeded random ASTs and query texts for the property tests.
struct QueryGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// Pieces of names: everything that needs quoting or could be misread, keywords, non-ASCII.
    static let namePieces = [
        "a", "b", "Z", "0", "42", " ", "\"", "\\", "*", ":", "-", ",", "(", ")", "and", "NOT", "Or", "é", "日本",
        "e\u{301}", "\u{A0}", "\u{3000}", "#", "'", "`", "_", ".", "/", "label:", "\u{1F600}",
    ]
    /// Pieces that may stand in a bare name, for texts written without quotes.
    static let barePieces = ["a", "b", "Z", "0", "k8s", ":", "-", "é", "日本", "_", ".", "/", "and", "#", "\\"]

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    mutating func name(from pieces: [String], allowsEmpty: Bool = false) -> String {
        let count = Int.random(in: (allowsEmpty ? 0 : 1)...4, using: &random)
        return (0..<count).map { _ in pick(pieces) }.joined()
    }

    mutating func assetType() -> String {
        let start = Array("abcXYZ_")
        let rest = Array("abc019_.-")
        var type = String(pick(start))
        for _ in 0..<Int.random(in: 0...5, using: &random) { type.append(pick(rest)) }
        return type
    }

    mutating func assetID() -> Int64 {
        chance(20) ? pick([Int64.min, .max, 0, -1]) : Int64.random(in: -1_000_000...1_000_000_000_000, using: &random)
    }

    // MARK: Expressions

    mutating func expression(depth: Int) -> QueryExpression {
        if depth == 0 || chance(30) { return term() }
        switch Int.random(in: 0..<3, using: &random) {
        case 0: return .not(expression(depth: depth - 1))
        case 1: return .and((0..<Int.random(in: 2...4, using: &random)).map { _ in expression(depth: depth - 1) })
        default: return .or((0..<Int.random(in: 2...4, using: &random)).map { _ in expression(depth: depth - 1) })
        }
    }

    mutating func term() -> QueryExpression {
        let items = Int.random(in: 1...3, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return .all
        case 1: return .hasLabel
        case 2: return .noLabel
        case 3:
            return .labels(
                (0..<items).map { _ in
                    chance(30)
                        ? .prefix(name(from: Self.namePieces, allowsEmpty: true)) : .exact(name(from: Self.namePieces))
                })
        case 4: return .under((0..<items).map { _ in name(from: Self.namePieces) })
        default:
            return .assets(
                (0..<items).map { _ in
                    chance(50) ? .id(assetID()) : .typed(type: assetType(), id: name(from: Self.namePieces))
                })
        }
    }

    // MARK: Texts

    mutating func space() -> String {
        (0..<Int.random(in: 1...2, using: &random)).map { _ in pick([" ", " ", " ", "\t", "\n", "\u{A0}"]) }.joined()
    }

    mutating func keyword(_ word: String) -> String {
        String(word.map { chance(50) ? Character($0.lowercased()) : $0 })
    }

    /// A valid query text, written with the freedoms the syntax allows: letter case, implicit
    /// AND, `-`, redundant parentheses, assorted whitespace, quotes where not needed.
    mutating func text(depth: Int) -> String {
        if depth == 0 || chance(30) { return termText() }
        let operand = text(depth: depth - 1)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return "(" + (chance(30) ? space() : "") + operand + (chance(30) ? space() : "") + ")"
        case 1: return keyword("NOT") + space() + operand
        case 2: return "-(" + operand + ")"
        case 3: return operand + space() + keyword("AND") + space() + text(depth: depth - 1)
        case 4: return operand + space() + text(depth: depth - 1)
        default: return operand + space() + keyword("OR") + space() + text(depth: depth - 1)
        }
    }

    mutating func termText() -> String {
        let items = Int.random(in: 1...3, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return chance(50) ? "*" : "-*"
        case 1: return "has:label"
        case 2: return "no:label"
        case 3, 4:
            return "label:" + (0..<items).map { _ in nameText() + (chance(30) ? "*" : "") }.joined(separator: ",")
        case 5: return "under:" + (0..<items).map { _ in nameText() }.joined(separator: ",")
        default:
            return "asset:"
                + (0..<items).map { _ in chance(50) ? String(assetID()) : assetType() + ":" + nameText() }
                .joined(separator: ",")
        }
    }

    mutating func nameText() -> String {
        if chance(50) { return name(from: Self.barePieces) }
        var quoted = "\""
        for character in name(from: Self.namePieces) {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}
