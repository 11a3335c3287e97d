import LabelTestSupport
import Testing

@testable import LabelInterchange

/// Runs `body` on a scanner over `bytes`.
func withScanner<T>(
    _ bytes: [UInt8], maximumDepth: Int = JSONScanner.defaultMaximumDepth,
    _ body: (inout JSONScanner) throws(JSONError) -> T
) -> Result<T, JSONError> {
    bytes.withUnsafeBytes { raw in
        var scanner = JSONScanner(raw, maximumDepth: maximumDepth)
        return Result { () throws(JSONError) in try body(&scanner) }
    }
}

func withScanner<T>(
    _ text: String, maximumDepth: Int = JSONScanner.defaultMaximumDepth,
    _ body: (inout JSONScanner) throws(JSONError) -> T
) -> Result<T, JSONError> {
    withScanner(Array(text.utf8), maximumDepth: maximumDepth, body)
}

/// The error `JSONScanner.validate` reports for `bytes`, or `nil` if they are valid JSON.
func validationError(_ bytes: [UInt8], maximumDepth: Int = JSONScanner.defaultMaximumDepth) -> JSONError? {
    withScanner(bytes, maximumDepth: maximumDepth) { (scanner) throws(JSONError) in
        try scanner.skipValue()
        try scanner.finish()
    }.failure
}

func validationError(_ text: String, maximumDepth: Int = JSONScanner.defaultMaximumDepth) -> JSONError? {
    validationError(Array(text.utf8), maximumDepth: maximumDepth)
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}

@Suite struct JSONScannerTests {
    @Test func walksObjectsAndArrays() throws {
        let text = #" { "a" : [1, -2.5e3, true, false, null, "x"], "b": {}, "c": [] } "#
        let walked = try withScanner(text) { (scanner) throws(JSONError) -> [String] in
            var seen: [String] = []
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                seen.append(scanner.string(key))
                guard try scanner.peek() == .array, seen.last == "a" else {
                    try scanner.skipValue()
                    continue
                }
                try scanner.beginArray()
                var position = 0
                while try scanner.hasNextElement() {
                    switch (try scanner.peek(), position) {
                    case (.number, 0): seen.append(String(try scanner.readInt64()))
                    case (.number, _): seen.append(String(try scanner.readDouble()))
                    case (.bool, _): seen.append(String(try scanner.readBool()))
                    case (.null, _):
                        try scanner.readNull()
                        seen.append("null")
                    case (.string, _): seen.append(scanner.string(try scanner.readString()))
                    default: try scanner.skipValue()
                    }
                    position += 1
                }
            }
            try scanner.finish()
            return seen
        }.get()
        #expect(walked == ["a", "1", "-2500.0", "true", "false", "null", "x", "b", "c"])
    }

    @Test(arguments: [
        ("\"plain\"", "plain"),
        (#""q\"b\\s\/""#, "q\"b\\s/"),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD83D\uDE00 mixed é""#, "😀 mixed é"),
        ("\"raw é€😀\"", "raw é€😀"),
        (#""\u0000""#, "\u{0}"),
        ("\"\u{7F}\"", "\u{7F}"),
        ("\"\"", ""),
    ])
    func decodesStrings(json: String, expected: String) throws {
        let decoded = try withScanner(json) { (scanner) throws(JSONError) in
            let token = try scanner.readString()
            try scanner.finish()
            return scanner.string(token)
        }.get()
        #expect(decoded == expected)
    }

    @Test func stringTokensPointIntoTheBuffer() throws {
        let (raw, hasEscapes) = try withScanner(#"  "a\nb""#) { (scanner) throws(JSONError) in
            let token = try scanner.readString()
            return (Array(scanner.rawBytes(of: token)), token.hasEscapes)
        }.get()
        #expect(raw == Array(#"a\nb"#.utf8))
        #expect(hasEscapes)
    }

    @Test(arguments: [
        (#""\ud83d""#, JSONErrorReason.loneSurrogate, 1),
        (#""\ude00""#, .loneSurrogate, 1),
        (#""\ud83dx""#, .loneSurrogate, 1),
        (#""\ud83d\u0041""#, .loneSurrogate, 1),
        (#""\ud83d\u12""#, .invalidUnicodeEscape, 7),
        (#""ab\u12G4""#, .invalidUnicodeEscape, 3),
        (#""\x""#, .invalidEscape, 1),
        (#""\'""#, .invalidEscape, 1),
        ("\"abc", .unterminatedString, 0),
        ("\"abc\\", .unterminatedString, 0),
        ("\"a\tb\"", .controlCharacterInString(9), 2),
        ("\"a\nb\"", .controlCharacterInString(10), 2),
    ])
    func rejectsBadStrings(json: String, reason: JSONErrorReason, offset: Int) {
        #expect(validationError(json) == JSONError(offset: offset, reason: reason))
    }

    @Test(
        arguments: [
            [0x22, 0xC3, 0x22],  // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong three-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-16 surrogate encoded in UTF-8
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // invalid lead byte
            [0x22, 0x80, 0x22],  // lone continuation byte
            [0x22, 0xE2, 0x82, 0x22],  // truncated three-byte sequence
            [0x22, 0xFF, 0x22],
        ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(validationError(bytes) == JSONError(offset: 1, reason: .invalidUTF8))
    }

    @Test func acceptsValidMultiByteUTF8() {
        // 2-, 3- and 4-byte sequences at the edges of their ranges.
        let text = "\"\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}\""
        #expect(validationError(text) == nil)
    }

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("7", 7), ("-42", -42), (" 123 ", 123),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
    ])
    func readsInt64Exactly(json: String, expected: Int64) throws {
        let value = try withScanner(json) { (scanner) throws(JSONError) in
            let value = try scanner.readInt64()
            try scanner.finish()
            return value
        }.get()
        #expect(value == expected)
    }

    @Test(arguments: [
        ("9223372036854775808", JSONErrorReason.integerOutOfRange),
        ("-9223372036854775809", .integerOutOfRange),
        ("100000000000000000000000", .integerOutOfRange),
        ("1.0", .integerExpected),
        ("1e3", .integerExpected),
        ("-5E-1", .integerExpected),
    ])
    func rejectsNonInt64(json: String, reason: JSONErrorReason) {
        let error = withScanner(json) { (scanner) throws(JSONError) in try scanner.readInt64() }.failure
        #expect(error == JSONError(offset: 0, reason: reason))
    }

    @Test(arguments: [
        ("0.1", 0.1), ("-0.0", -0.0), ("1e-300", 1e-300), ("5e-324", .leastNonzeroMagnitude),
        ("1.7976931348623157e308", 1.7976931348623157e308), ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("0.30000000000000004", 0.30000000000000004), ("9007199254740993", 9_007_199_254_740_992),
        ("123456789012345678901234567890", 1.2345678901234568e29), ("1E+2", 100), ("1e-2", 0.01),
        ("-2.5e3", -2500), ("1e-400", 0), ("0e99999", 0), ("1234567.125", 1234567.125),
        ("0.000001", 0.000001), ("1e22", 1e22), ("1e23", 1e23), ("123456789012345e-20", 123456789012345e-20),
    ])
    func readsDoublesCorrectlyRounded(json: String, expected: Double) throws {
        let value = try withScanner(json) { (scanner) throws(JSONError) in try scanner.readDouble() }.get()
        #expect(value.bitPattern == expected.bitPattern, "\(json) → \(value), expected \(expected)")
    }

    @Test func doublesRoundTripThroughTheirDescription() throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<5000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            let parsed = try withScanner(value.description) { (scanner) throws(JSONError) in
                try scanner.readDouble()
            }.get()
            #expect(parsed.bitPattern == value.bitPattern, "\(value)")
        }
    }

    @Test(arguments: [
        ("1e400", JSONErrorReason.numberOutOfRange, 0),
        ("-1e400", .numberOutOfRange, 0),
    ])
    func rejectsDoublesOutOfRange(json: String, reason: JSONErrorReason, offset: Int) {
        let error = withScanner(json) { (scanner) throws(JSONError) in try scanner.readDouble() }.failure
        #expect(error == JSONError(offset: offset, reason: reason))
    }

    @Test(arguments: [
        ("01", JSONErrorReason.leadingZero, 0),
        ("-01", .leadingZero, 0),
        ("00.5", .leadingZero, 0),
        ("-", .invalidNumber(detail: "'-' must be followed by a digit"), 1),
        ("-a", .invalidNumber(detail: "'-' must be followed by a digit"), 1),
        ("1.", .invalidNumber(detail: "expected a digit after '.'"), 2),
        ("1.e5", .invalidNumber(detail: "expected a digit after '.'"), 2),
        ("1e", .invalidNumber(detail: "expected a digit in the exponent"), 2),
        ("1e+", .invalidNumber(detail: "expected a digit in the exponent"), 3),
        (".5", .unexpectedByte(UInt8(ascii: "."), expected: "a value"), 0),
        ("+1", .unexpectedByte(UInt8(ascii: "+"), expected: "a value"), 0),
        ("1x", .trailingCharacters, 1),
        ("NaN", .unexpectedByte(UInt8(ascii: "N"), expected: "a value"), 0),
    ])
    func rejectsBadNumbers(json: String, reason: JSONErrorReason, offset: Int) {
        #expect(validationError(json) == JSONError(offset: offset, reason: reason))
    }

    @Test(arguments: [
        ("[1,]", JSONErrorReason.unexpectedByte(UInt8(ascii: "]"), expected: "a value"), 3),
        (#"{"a":1,}"#, .unexpectedByte(UInt8(ascii: "}"), expected: "a string key"), 7),
        (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"), expected: "':'"), 5),
        ("{1:2}", .unexpectedByte(UInt8(ascii: "1"), expected: "a string key"), 1),
        ("[1 2]", .unexpectedByte(UInt8(ascii: "2"), expected: "',' or ']'"), 3),
        (#"{"a":1]"#, .unexpectedByte(UInt8(ascii: "]"), expected: "',' or '}'"), 6),
        ("[", .unexpectedEnd(expected: "',' or ']'"), 1),
        (#"{"a":"#, .unexpectedEnd(expected: "a value"), 5),
        ("", .unexpectedEnd(expected: "a value"), 0),
        ("   ", .unexpectedEnd(expected: "a value"), 3),
        ("tru", .invalidLiteral, 0),
        ("nul", .invalidLiteral, 0),
        ("fals", .invalidLiteral, 0),
        ("falsey", .trailingCharacters, 5),
        ("{} x", .trailingCharacters, 3),
        ("[] []", .trailingCharacters, 3),
        ("'a'", .unexpectedByte(UInt8(ascii: "'"), expected: "a value"), 0),
        ("[1,/*c*/2]", .unexpectedByte(UInt8(ascii: "/"), expected: "a value"), 3),
    ])
    func rejectsBadStructure(json: String, reason: JSONErrorReason, offset: Int) {
        #expect(validationError(json) == JSONError(offset: offset, reason: reason))
    }

    @Test func acceptsAllJSONWhitespace() {
        #expect(validationError(" \t\r\n[ \t\r\n1 \t\r\n, {\n\"a\"\r: \ttrue } ] \n") == nil)
    }

    @Test func limitsNestingDepth() {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(validationError(deepest) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(validationError(tooDeep) == JSONError(offset: 64, reason: .nestingTooDeep(limit: 64)))
        let objects = String(repeating: #"{"a":"#, count: 3) + "1" + String(repeating: "}", count: 3)
        #expect(validationError(objects, maximumDepth: 3) == nil)
        #expect(validationError(objects, maximumDepth: 2) == JSONError(offset: 10, reason: .nestingTooDeep(limit: 2)))
    }

    @Test func reportsTypeMismatches() {
        let error = withScanner(" 12") { (scanner) throws(JSONError) in try scanner.readString() }.failure
        #expect(error == JSONError(offset: 1, reason: .typeMismatch(expected: .string, found: .number)))
        let other = withScanner("[]") { (scanner) throws(JSONError) in try scanner.beginObject() }.failure
        #expect(other == JSONError(offset: 0, reason: .typeMismatch(expected: .object, found: .array)))
        let bool = withScanner("null") { (scanner) throws(JSONError) in try scanner.readBool() }.failure
        #expect(bool == JSONError(offset: 0, reason: .typeMismatch(expected: .bool, found: .null)))
    }

    @Test func skipValueReturnsTheValuesBytes() throws {
        let ranges = try withScanner(#"[ {"a": [1, "]"]} , "s" ,3.5e1]"#) { (scanner) throws(JSONError) in
            var ranges: [Range<Int>] = []
            try scanner.beginArray()
            while try scanner.hasNextElement() { ranges.append(try scanner.skipValue()) }
            try scanner.finish()
            return ranges
        }.get()
        #expect(ranges == [2..<17, 20..<23, 25..<30])
    }

    @Test func describesErrorsOnOneLine() {
        let error = JSONError(offset: 3, reason: .unexpectedByte(0x0A, expected: "':'"))
        #expect(error.description == "byte 3: unexpected line break, expected ':'")
        #expect(JSONErrorReason.controlCharacterInString(1).description.contains("\\u0001"))
        #expect(JSONErrorReason.unexpectedByte(0xFF, expected: "x").description == "unexpected byte 0xFF, expected x")
    }
}
