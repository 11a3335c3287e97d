import Testing

@testable import LabelInterchange

/// One bad line: the text, a marker whose first occurrence is where the error must point (its
/// first byte; an empty marker stands for the end of the line), and the reason.
struct BadLine: CustomTestStringConvertible, Sendable {
    let line: String
    let marker: String
    let reason: LineErrorReason

    init(_ line: String, at marker: String, _ reason: LineErrorReason) {
        self.line = line
        self.marker = marker
        self.reason = reason
    }

    /// The expected 1-based byte column.
    var column: Int {
        let bytes = Array(line.utf8)
        let needle = Array(marker.utf8)
        if needle.isEmpty { return bytes.count + 1 }
        let offset = (0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle }!
        return offset + 1
    }

    var testDescription: String { line }
}

@Suite struct NDJSONErrorTests {
    static let timestamp = NDJSONRecordDecoder.timestampExpectation
    static let labels = NDJSONRecordDecoder.labelsExpectation
    static let longName = String(repeating: "n", count: 256)

    static let cases: [BadLine] = [
        // Keys
        BadLine(#"{"id":1,"lables":["a"]}"#, at: #""lables""#, .unknownKey("lables")),
        BadLine(#"{"id":1,"id":2}"#, at: #""id":2"#, .duplicateKey("id")),
        BadLine(#"{"name":"x","labels":["a"]}"#, at: "{", .neitherAssetNorLabel),
        BadLine(#"{"label":"a","name":"a"}"#, at: #""name""#, .conflictingKeys("name", "label")),
        BadLine(#"{"name":null}"#, at: "null", .invalidValue(key: "name", expected: "a label name string")),
        BadLine(#"{"name":"","parent":null}"#, at: #""","#, .invalidLabelName(name: "", problem: .empty)),
        BadLine(
            #"{"name":"a\u0001"}"#, at: #""a\u"#,
            .invalidLabelName(name: "a\u{1}", problem: .controlCharacter(offset: 1))),
        BadLine(#"{}"#, at: "{", .neitherAssetNorLabel),
        BadLine(##"{"id":1,"color":"#000000"}"##, at: #""color""#, .misplacedKey("color", lineKind: .asset)),
        BadLine(#"{"label":"a","id":1}"#, at: #""label""#, .misplacedKey("label", lineKind: .asset)),
        BadLine(#"{"label":"a","labels":["b"]}"#, at: #""labels""#, .misplacedKey("labels", lineKind: .label)),
        BadLine(#"{"type":"t","label":"a"}"#, at: #""type""#, .misplacedKey("type", lineKind: .label)),
        // Keys and ids
        BadLine(#"{"id":"abc"}"#, at: #""abc""#, .typedIDWithoutType),
        BadLine(#"{"id":1,"type":"form"}"#, at: #""form""#, .typeWithIntegerID),
        BadLine(#"{"id":1.5}"#, at: "1.5", .invalidValue(key: "id", expected: "an integer within the Int64 range")),
        BadLine(
            #"{"id":9223372036854775808}"#, at: "9223",
            .invalidValue(key: "id", expected: "an integer within the Int64 range")),
        BadLine(#"{"id":true}"#, at: "true", .invalidValue(key: "id", expected: "an integer or a non-empty string")),
        BadLine(#"{"id":""}"#, at: #""""#, .invalidValue(key: "id", expected: "a non-empty string")),
        BadLine(#"{"id":"x","type":""}"#, at: #""""#, .invalidValue(key: "type", expected: "a non-empty string")),
        BadLine(#"{"id":"x","type":7}"#, at: "7", .invalidValue(key: "type", expected: "a non-empty string")),
        // Attributes
        BadLine(#"{"id":1,"name":5}"#, at: "5", .invalidValue(key: "name", expected: "a string")),
        BadLine(#"{"id":1,"asset_type":[]}"#, at: "[", .invalidValue(key: "asset_type", expected: "a string")),
        BadLine(
            #"{"id":1,"created_at":"2026-13-01T00:00:00Z"}"#, at: #""2026"#,
            .invalidValue(key: "created_at", expected: timestamp)),
        BadLine(#"{"id":1,"updated_at":1.5}"#, at: "1.5", .invalidValue(key: "updated_at", expected: timestamp)),
        BadLine(#"{"id":1,"updated_at":true}"#, at: "true", .invalidValue(key: "updated_at", expected: timestamp)),
        BadLine(
            #"{"id":1,"metadata":{"a":}}"#, at: "}}",
            .malformedJSON(.unexpectedByte(UInt8(ascii: "}"), expected: "a value"))),
        // Labels
        BadLine(#"{"id":1,"labels":"prod"}"#, at: #""prod""#, .invalidValue(key: "labels", expected: labels)),
        BadLine(#"{"id":1,"labels":["a",1]}"#, at: "1]", .invalidValue(key: "labels", expected: labels)),
        BadLine(#"{"id":1,"labels":[""]}"#, at: #""""#, .invalidLabelName(name: "", problem: .empty)),
        BadLine(
            #"{"id":1,"labels":["a\u0001b"]}"#, at: #""a\"#,
            .invalidLabelName(name: "a\u{1}b", problem: .controlCharacter(offset: 1))),
        BadLine(
            "{\"id\":1,\"labels\":[\"a\u{7F}\"]}", at: "\"a",
            .invalidLabelName(name: "a\u{7F}", problem: .controlCharacter(offset: 1))),
        BadLine(
            #"{"id":1,"labels":["\u0085x"]}"#, at: #""\u"#,
            .invalidLabelName(name: "\u{85}x", problem: .controlCharacter(offset: 0))),
        BadLine(
            "{\"id\":1,\"labels\":[\"ok\",\"\u{9F}\"]}", at: "\"\u{9F}",
            .invalidLabelName(name: "\u{9F}", problem: .controlCharacter(offset: 0))),
        BadLine(
            #"{"id":1,"labels":["\#(longName)"]}"#, at: #""nnn"#,
            .invalidLabelName(name: longName, problem: .tooLong(bytes: 256, limit: 255))),
        BadLine(#"{"id":1,"labels":["a","b","a"]}"#, at: #""a"]"#, .duplicateLabel("a")),
        BadLine(#"{"id":1,"labels":["a",{"name":"a"}]}"#, at: #""a"}"#, .duplicateLabel("a")),
        BadLine(#"{"id":1,"labels":["caf\u00e9","café"]}"#, at: #""café""#, .duplicateLabel("café")),
        BadLine(#"{"id":1,"labels":[{"weight":1}]}"#, at: "{\"w", .missingKey("name")),
        BadLine(#"{"id":1,"labels":[{"name":"a","x":1}]}"#, at: #""x""#, .unknownKey("x")),
        BadLine(#"{"id":1,"labels":[{"name":"a","name":"b"}]}"#, at: #""name":"b""#, .duplicateKey("name")),
        BadLine(
            #"{"id":1,"labels":[{"name":"a","weight":"1"}]}"#, at: #""1""#,
            .invalidValue(key: "weight", expected: "a number")),
        BadLine(
            #"{"id":1,"labels":[{"name":7}]}"#, at: "7", .invalidValue(key: "name", expected: "a label name string")),
        BadLine(#"{"id":1,"labels":[{"name":"a","weight":1e999}]}"#, at: "1e999", .malformedJSON(.numberOutOfRange)),
        // Label definitions
        BadLine(
            ##"{"label":"a","color":"#12345"}"##, at: "\"#",
            .invalidValue(key: "color", expected: "a colour as \"#RRGGBB\"")),
        BadLine(
            #"{"label":"a","color":"red"}"#, at: "\"red",
            .invalidValue(key: "color", expected: "a colour as \"#RRGGBB\"")),
        BadLine(
            ##"{"label":"a","color":"#12345g"}"##, at: "\"#",
            .invalidValue(key: "color", expected: "a colour as \"#RRGGBB\"")),
        BadLine(#"{"label":""}"#, at: #""""#, .invalidLabelName(name: "", problem: .empty)),
        BadLine(#"{"label":"a","parent":""}"#, at: #""""#, .invalidLabelName(name: "", problem: .empty)),
        BadLine(#"{"label":1}"#, at: "1", .invalidValue(key: "label", expected: "a label name string")),
        BadLine(#"{"label":"a","weight":"x"}"#, at: #""x""#, .invalidValue(key: "weight", expected: "a number")),
        // JSON
        BadLine("[1,2]", at: "[", .notAnObject(found: .array)),
        BadLine("\"text\"", at: "\"", .notAnObject(found: .string)),
        BadLine(#"{"id":1"#, at: "", .malformedJSON(.unexpectedEnd(expected: "',' or '}'"))),
        BadLine(#"{"id":1} x"#, at: "x", .malformedJSON(.trailingCharacters)),
        BadLine(#"{"id":01}"#, at: "01", .malformedJSON(.leadingZero)),
        BadLine(#"{"id":1,"name":"a\x"}"#, at: "\\x", .malformedJSON(.invalidEscape)),
        BadLine(#"{"id":1,"name":"\udc00"}"#, at: "\\u", .malformedJSON(.loneSurrogate)),
        BadLine("{\"id\":1,\"name\":\"a\tb\"}", at: "\t", .malformedJSON(.controlCharacterInString(9))),
        BadLine(#"{"id":1,}"#, at: "}", .malformedJSON(.unexpectedByte(UInt8(ascii: "}"), expected: "a string key"))),
        BadLine(#"{'id':1}"#, at: "'", .malformedJSON(.unexpectedByte(UInt8(ascii: "'"), expected: "a string key"))),
        BadLine(
            #"{"id":1,"metadata":"# + String(repeating: "[", count: 64), at: String(repeating: "[", count: 1),
            .malformedJSON(.nestingTooDeep(limit: 64))),
    ]

    @Test(arguments: cases)
    func reportsLineColumnAndReason(_ bad: BadLine) throws {
        let error = try #require(try ndjsonError(bad.line))
        #expect(error.reason == bad.reason)
        if case .malformedJSON(.nestingTooDeep) = bad.reason {
            // The 64th array is the 65th container: the line's object counts too.
            #expect(error.column == bad.column + 63)
        } else {
            #expect(error.column == bad.column)
        }
        #expect(error.line == 1)
        #expect(error.file == "test.ndjson")
    }

    @Test func reportsInvalidUTF8() throws {
        var bytes = Array(#"{"id":1,"name":"ab"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}"#.utf8)
        let reader = NDJSONReader(bytes: bytes, name: "bytes.ndjson")
        var errors: [LineError] = []
        try reader.forEachRecord { if case .failure(let error) = $0 { errors.append(error) } }
        #expect(errors == [LineError(file: "bytes.ndjson", line: 1, column: 19, reason: .malformedJSON(.invalidUTF8))])
    }

    @Test func reportsEachBadLineAndKeepsGoing() throws {
        let text = """
            {"id":1,"labels":["ok"]}
            {"id":2,"labels":["new-in-bad-line","x","x"]}

            not json
            {"id":3,"labels":["ok","later"]}
            {"label":"z","color":"blue"}
            """
        let delivered = try readNDJSON(text)
        #expect(delivered.count == 5)
        #expect(delivered[0].labelNames == ["ok"])
        #expect(delivered[1].failure?.line == 2)
        #expect(delivered[1].failure?.reason == .duplicateLabel("x"))
        #expect(delivered[2].failure?.line == 4)
        #expect(delivered[2].failure?.column == 1)
        #expect(delivered[3].labelNames == ["ok", "later"])
        #expect(delivered[4].failure?.line == 6)
        // The bad line's names were taken back: "later" got index 1, not 3.
        let reader = NDJSONReader(bytes: Array(text.utf8))
        var indices: [[Int]] = []
        try reader.forEachRecord { if case .success(let record) = $0 { indices.append(record.assetLabels) } }
        #expect(indices == [[0], [0, 1]])
        #expect(reader.interner.names == ["ok", "later"])
    }

    @Test func describesErrorsLikeACompiler() throws {
        let error = try #require(try ndjsonError(#"{"id":1,"lables":[]}"#))
        #expect(error.description == #"test.ndjson:1:9: unknown key "lables""#)
        let control = LineErrorReason.invalidLabelName(name: "a\nb", problem: .controlCharacter(offset: 1))
        #expect(control.description == #"label name "a\nb" contains a control character"#)
        #expect(LineErrorReason.typeWithIntegerID.description.contains("asset_type"))
    }
}
