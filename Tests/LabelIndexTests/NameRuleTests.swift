import LabelIndex
import LabelTestSupport
import Testing

/// `NameRule`, the one name rule of every layer: its word-at-a-time scan agrees with the rule
/// as written (a scalar at a time) on random names built around the bytes it must tell apart.
@Suite struct NameRuleTests {
    /// The rule as the documentation states it.
    static func reference(_ name: String, limit: Int) -> LabelIndexError.NameViolation? {
        var offset = 0
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return .controlCharacter(offset: offset) }
            offset += String(scalar).utf8.count
        }
        if offset == 0 { return .empty }
        if offset > limit { return .tooLong(bytes: offset, limit: limit) }
        return nil
    }

    /// Printable ASCII, the control characters of both ranges, their neighbours (U+00A0, U+00BF,
    /// which share the 0xC2 lead byte but are allowed) and wider scalars.
    static let alphabet: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "~", "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{BF}",
        "\u{C2}", "é", "日", "🏷",
    ]

    @Test func theFastScanAgreesWithTheRuleAsWritten() {
        var random = SeededGenerator(seed: 0x4E41_4D45)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &random)
            // Mostly allowed characters, so a control character lands at every offset of a word.
            var scalars = (0..<length).map { _ in Self.alphabet[Int.random(in: 0..<5, using: &random)] }
            if !scalars.isEmpty, Bool.random(using: &random) {
                scalars[Int.random(in: 0..<scalars.count, using: &random)] = Self.alphabet.randomElement(
                    using: &random)!
            }
            var name = ""
            name.unicodeScalars.append(contentsOf: scalars)
            let limit = Int.random(in: 1...48, using: &random)
            let expected = Self.reference(name, limit: limit)
            #expect(NameRule.violation(of: name, limit: limit) == expected, "\(name.debugDescription), limit \(limit)")
            var copy = name
            let bytes = copy.withUTF8 { NameRule.violation(ofUTF8: UnsafeRawBufferPointer($0), limit: limit) }
            #expect(bytes == expected, "\(name.debugDescription), limit \(limit)")
        }
    }

    @Test func theLimitIsInclusiveAndAControlCharacterIsReportedFirst() {
        let limit = NameRule.defaultLabelNameBytes
        #expect(NameRule.violation(of: String(repeating: "x", count: limit), limit: limit) == nil)
        #expect(
            NameRule.violation(of: String(repeating: "x", count: limit + 1), limit: limit)
                == .tooLong(bytes: limit + 1, limit: limit))
        #expect(
            NameRule.violation(of: String(repeating: "x", count: limit) + "\u{7}", limit: limit)
                == .controlCharacter(offset: limit))
        #expect(NameRule.violation(of: "", limit: limit) == .empty)
    }
}
