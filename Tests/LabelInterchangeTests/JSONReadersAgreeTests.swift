import LabelFormats
import LabelTestSupport
import Testing

@testable import LabelInterchange

/// The import scanner and the strict parser (the server's and the command line's) read JSON
/// strings through the same escape rules, so for any quoted text they must accept the same
/// ones and decode them to the same bytes.
@Suite struct JSONReadersAgreeTests {
    /// Pieces a JSON string is made of, valid and not: plain text, every short escape, `\u`
    /// escapes of every kind (surrogate pairs, lone and reversed surrogates, bad digits), raw
    /// control bytes, multi-byte UTF-8 and broken UTF-8.
    static let pieces: [[UInt8]] =
        [
            "a", "é", "日本", "😀", #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u0041"#,
            #"\u00e9"#, #"\u65E5"#, #"\uD83D\uDE00"#, #"\uD83D"#, #"\uDE00"#, #"\uDE00\uD83D"#, #"\u12G4"#, #"\u12"#,
            #"\x"#, #"\"#, "\u{7F}", " ",
        ].map { Array($0.utf8) } + [
            [0x01], [0x1F], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
        ]

    @Test func bothReadEveryStringAlike() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<20_000 {
            var body: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                body += Self.pieces.randomElement(using: &random)!
            }
            let document = [UInt8(ascii: "\"")] + body + [UInt8(ascii: "\"")]
            let scanned = withScanner(document) { (scanner) throws(JSONError) -> [UInt8] in
                let string = try scanner.readString()
                try scanner.finish()
                return Array(scanner.string(string).utf8)
            }
            let parsed = Result { () throws(JSONSyntaxError) -> [UInt8] in
                guard case .string(let text) = try JSONParser.parse(document) else { return [] }
                return Array(text.utf8)
            }
            switch (scanned, parsed) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(document): scanner \(a), parser \(b)")
            case (.failure, .failure):
                break
            default:
                Issue.record(
                    "\(String(decoding: document, as: UTF8.self)) \(document): scanner \(scanned), parser \(parsed)")
            }
        }
    }
}
