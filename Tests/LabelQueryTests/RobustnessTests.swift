import LabelTestSupport
import Testing

@testable import LabelQuery

/// Arbitrary input never crashes or hangs the parser; it parses, and then round-trips, or fails
/// with a span inside the text.
@Suite struct RobustnessTests {
    /// Bytes biased towards the query language's punctuation, so that the random strings reach
    /// deep into the scanner instead of failing on the first byte.
    static let interestingBytes: [UInt8] =
        Array("()(),\"\\*:-  \tAaNnDdOoRrTt0123456789".utf8) + [
            0x00, 0x01, 0x0A, 0x0D, 0x7F, 0xC2, 0x85, 0xA0, 0xE2, 0x80, 0xA8, 0xE3, 0x80, 0xC3, 0xA9, 0xF0, 0x9F, 0x98,
            0x80, 0xFF,
        ]

    static let tokens = [
        "(", ")", "AND", "or", "not", "Not", "-", "label:", "under:", "has:", "no:", "asset:", "has:label", "\"", "\\",
        ",", "*", "prod", "team-", "a b", "é", "日本", "0", "12", "-7", "99999999999999999999", "form:", ":", " ", " ",
        "\t", "\n", "\u{A0}", "\u{1}", "lable:", "label:\"x\"", "label:a", "asset:form:",
    ]

    @Test(.timeLimit(.minutes(2))) func randomByteStringsNeverCrash() {
        var random = SeededGenerator(seed: 0xB17E5)
        for index in 0..<5_000 {
            let count = Int.random(in: 0...48, using: &random)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &random)
                    ? Self.interestingBytes.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            check(String(decoding: bytes, as: UTF8.self), case: index)
        }
    }

    @Test(.timeLimit(.minutes(2))) func randomTokenSoupsNeverCrash() {
        var random = SeededGenerator(seed: 0x50_0B)
        var parsed = 0
        for index in 0..<5_000 {
            let count = Int.random(in: 1...24, using: &random)
            let text = (0..<count).map { _ in
                let token = Self.tokens.randomElement(using: &random)!
                return Int.random(in: 0..<3, using: &random) == 0 ? token + " " : token
            }.joined()
            if check(text, case: index) { parsed += 1 }
        }
        // The soups must reach valid queries too, or the round-trip check above tests nothing.
        #expect(parsed > 25)
    }

    @Test(.timeLimit(.minutes(2))) func mutatedValidQueriesNeverCrash() {
        var generator = QueryGenerator(seed: 0x3D17)
        var random = SeededGenerator(seed: 0x3D18)
        var parsed = 0
        for index in 0..<5_000 {
            var characters = Array(generator.text(depth: 4))
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0...characters.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where position < characters.count:
                    let end = min(characters.count, position + Int.random(in: 1...4, using: &random))
                    characters.removeSubrange(position..<end)
                case 1:
                    characters.insert(contentsOf: Self.tokens.randomElement(using: &random)!, at: position)
                default:
                    let start = Int.random(in: 0...position, using: &random)
                    characters.insert(contentsOf: characters[start..<position], at: position)
                }
            }
            if check(String(characters), case: index) { parsed += 1 }
        }
        #expect(parsed > 250)
    }

    /// Returns whether `text` parsed.
    @discardableResult
    private func check(_ text: String, case index: Int) -> Bool {
        do {
            let expression = try QueryParser().parse(text)
            let canonical = expression.canonicalText
            #expect((try? QueryParser().parse(canonical)) == expression, "case \(index): \(text.debugDescription)")
            return true
        } catch {
            let byteCount = text.utf8.count
            #expect(error.offset >= 0 && error.length >= 0, "case \(index)")
            #expect(error.offset + error.length <= byteCount, "case \(index): \(text.debugDescription)")
            #expect(error.column >= 1 && error.endColumn >= error.column, "case \(index)")
            #expect(!error.message.isEmpty && !error.message.contains("\n"), "case \(index)")
            #expect(!error.expected.isEmpty, "case \(index)")
            let rendered = error.rendered(for: text)
            #expect(rendered.hasPrefix("error: " + error.message), "case \(index)")
            return false
        }
    }
}
