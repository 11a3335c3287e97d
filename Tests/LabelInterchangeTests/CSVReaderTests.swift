import Testing

@testable import LabelInterchange

@Suite struct CSVReaderTests {
    static let assetsText = [
        "id,type,name,asset_type,labels,label_weights,created_at,updated_at,metadata",
        "1,,https://example.com,page,prod|api,0.8|,2026-01-02T03:04:05Z,1767315845123,",
        #"251464995493876,form,"Signup, step ""1""",,team:web|a\|b|back\\slash,,,,"{""k"": [1, 2]}""#,
        "",
        "-3,,\"two\nlines\",,,,,,",
        "4,,é😀,,x,,,,",
    ].joined(separator: "\r\n")

    @Test func readsAnAssetsFileWithEveryColumn() throws {
        let delivered = try readCSV(Self.assetsText)
        #expect(delivered.count == 4)
        let first = try #require(delivered[0].asset)
        #expect(first.key == .int(1))
        #expect(first.name == "https://example.com")
        #expect(first.assetType == "page")
        #expect(first.createdAt == 1_767_323_045_000)
        #expect(first.updatedAt == 1_767_315_845_123)
        #expect(first.metadata == nil)
        #expect(delivered[0].labelNames == ["prod", "api"])
        #expect(first.labels.map(\.weight) == [0.8, nil])

        let second = try #require(delivered[1].asset)
        #expect(second.key == .typed(type: "form", id: "251464995493876"))
        #expect(second.name == "Signup, step \"1\"")
        #expect(second.assetType == nil)
        #expect(second.metadata == Array(#"{"k": [1, 2]}"#.utf8))
        #expect(delivered[1].labelNames == ["team:web", "a|b", "back\\slash"])

        #expect(delivered[2].asset?.name == "two\nlines")
        #expect(delivered[2].asset?.key == .int(-3))
        #expect(delivered[3].asset?.name == "é😀")
        #expect(delivered[3].labelNames == ["x"])
    }

    @Test(arguments: [1, 2, 3, 7, 16, 1 << 16])
    func recordsStraddlingBlocksReadTheSame(blockSize: Int) throws {
        #expect(try readCSV(Self.assetsText, options: options(blockSize: blockSize)) == readCSV(Self.assetsText))
    }

    @Test func readsALabelDefinitionsFile() throws {
        let text = "\u{FEFF}weight,label,parent,color\n,env,,\n0.5,env-prod,env,#1F77B4\n-1e-3,\"a,b\",,#abcdef\n"
        let delivered = try readCSV(text)
        #expect(
            delivered.map(\.label) == [
                LabelRecord(name: "env"),
                LabelRecord(name: "env-prod", color: "#1F77B4", parent: "env", weight: 0.5),
                LabelRecord(name: "a,b", color: "#abcdef", weight: -0.001),
            ])
        let reader = CSVReader(bytes: Array(text.utf8))
        try reader.forEachRecord { _ in }
        #expect(reader.kind == .label)
    }

    @Test func reportsThePhysicalLineWhereABadRecordStarts() throws {
        let text = "id,name,labels\n1,\"multi\nline\r\nname\",ok\n2,x,a||b\n\n3,\"again\nsplit\",\"a\\b\"\n4,fine,\n"
        let delivered = try readCSV(text)
        #expect(delivered.count == 4)
        #expect(delivered[0].asset?.name == "multi\nline\r\nname")
        let emptyName = try #require(delivered[1].failure)
        #expect(emptyName.line == 5)
        #expect(emptyName.column == 5)
        #expect(emptyName.reason == .invalidLabelName(name: "", problem: .empty))
        let badEscape = try #require(delivered[2].failure)
        #expect(badEscape.line == 7)
        #expect(
            badEscape.reason
                == .invalidValue(
                    key: "labels", expected: "label names separated by | (inside a name write \\| and \\\\)"))
        #expect(delivered[3].asset?.key == .int(4))
        #expect(delivered[3].labelNames == [])
    }

    static let labelsHeader = "id,labels,label_weights\n"

    @Test(
        arguments: [
            ("1,a|b,", ["a", "b"], [nil, nil]),
            ("1,a|b,|2.5", ["a", "b"], [nil, 2.5]),
            ("1,team:payments|app=web|k:v:0.5,", ["team:payments", "app=web", "k:v:0.5"], [nil, nil, nil]),
            ("1,a\\|b|c\\\\,1|-0.0", ["a|b", "c\\"], [1, -0.0]),
            ("1, padded ,", [" padded "], [nil]),
            ("1,,", [], []),
        ] as [(String, [String], [Double?])])
    func splitsTheLabelsCell(row: String, names: [String], weights: [Double?]) throws {
        let delivered = try readCSV(Self.labelsHeader + row)
        #expect(delivered.first?.labelNames == names)
        #expect(delivered.first?.asset?.labels.map(\.weight) == weights)
    }

    @Test(arguments: [
        ("1,a||b,", LineErrorReason.invalidLabelName(name: "", problem: .empty)),
        ("1,a|,", .invalidLabelName(name: "", problem: .empty)),
        ("1,|a,", .invalidLabelName(name: "", problem: .empty)),
        ("1,a|a,", .duplicateLabel("a")),
        (
            "1,a\\,",
            .invalidValue(key: "labels", expected: "label names separated by | (inside a name write \\| and \\\\)")
        ),
        ("1,a|b,1", .invalidValue(key: "label_weights", expected: "one item per label (2), separated by |")),
        ("1,a,x", .invalidValue(key: "label_weights", expected: "numbers or empty items separated by |")),
        ("1,a,01", .invalidValue(key: "label_weights", expected: "numbers or empty items separated by |")),
        ("1,,1", .invalidValue(key: "label_weights", expected: "one item per label (0), separated by |")),
        ("1,\"a\u{1}\",", .invalidLabelName(name: "a\u{1}", problem: .controlCharacter(offset: 1))),
    ])
    func rejectsBadLabelCells(row: String, reason: LineErrorReason) throws {
        let error = try #require(try readCSV(Self.labelsHeader + row).first?.failure)
        #expect(error.reason == reason)
        #expect(error.line == 2)
    }

    @Test(arguments: [
        (
            "x,",
            LineErrorReason.invalidValue(
                key: "id", expected: "an integer within the Int64 range (or give a type for a string id)"), 1
        ),
        (
            "01,",
            .invalidValue(key: "id", expected: "an integer within the Int64 range (or give a type for a string id)"), 1
        ),
        (
            " 1,",
            .invalidValue(key: "id", expected: "an integer within the Int64 range (or give a type for a string id)"), 1
        ),
        (
            "9223372036854775808,",
            .invalidValue(key: "id", expected: "an integer within the Int64 range (or give a type for a string id)"), 1
        ),
        (",form", .invalidValue(key: "id", expected: "a non-empty string when a type is given"), 1),
        ("1,t,x", .wrongFieldCount(expected: 2, found: 3), 1),
        ("1", .wrongFieldCount(expected: 2, found: 1), 1),
        ("1,\"t", .malformedCSV("unterminated quoted field"), 3),
        ("1,t\"", .malformedCSV("quote inside an unquoted field (quote the field and double the quote)"), 4),
        ("1,\"t\"x", .malformedCSV("unexpected character after the closing quote of a field"), 6),
    ])
    func rejectsBadRecords(row: String, reason: LineErrorReason, column: Int) throws {
        let error = try #require(try readCSV("id,type\n" + row).first?.failure)
        #expect(error.reason == reason)
        #expect(error.line == 2)
        #expect(error.column == column)
    }

    @Test func rejectsBadAttributes() throws {
        let text = """
            id,created_at,metadata
            1,yesterday,
            2,,"{""a"":}"
            3,-5,"[1, ""x""]"
            """
        let delivered = try readCSV(text)
        #expect(
            delivered[0].failure?.reason
                == .invalidValue(key: "created_at", expected: NDJSONRecordDecoder.timestampExpectation))
        #expect(delivered[0].failure?.column == 3)
        #expect(delivered[1].failure?.reason == .malformedJSON(.unexpectedByte(UInt8(ascii: "}"), expected: "a value")))
        #expect(delivered[1].failure?.column == 4)  // The start of the field.
        #expect(delivered[2].asset?.createdAt == -5)
        #expect(delivered[2].asset?.metadata == Array(#"[1, "x"]"#.utf8))
    }

    @Test func rejectsInvalidUTF8() throws {
        let reader = CSVReader(bytes: Array("id,name\n1,ab".utf8) + [0xFF] + Array("\n2,ok".utf8), name: "bad.csv")
        var delivered: [Delivered] = []
        try reader.forEachRecord { delivered.append(describe($0, names: reader.interner.names)) }
        #expect(
            delivered.first?.failure
                == LineError(file: "bad.csv", line: 2, column: 5, reason: .malformedCSV("invalid UTF-8")))
        #expect(delivered.last?.asset?.name == "ok")
    }

    @Test(arguments: [
        (
            "name,labels\n",
            LineErrorReason.invalidHeader("needs an \"id\" column (assets) or a \"label\" column (label definitions)"),
            1
        ),
        ("id,lables\n", .unknownKey("lables"), 4),
        ("id,name,name\n", .duplicateKey("name"), 9),
        ("label,labels\n", .unknownKey("labels"), 7),
    ])
    func throwsForABadHeader(text: String, reason: LineErrorReason, column: Int) throws {
        let reader = CSVReader(bytes: Array((text + "1,2\n").utf8), name: "h.csv")
        let expected = LineError(file: "h.csv", line: 1, column: column, reason: reason)
        #expect(throws: expected) { try reader.forEachRecord { _ in Issue.record("no records after a bad header") } }
        #expect(throws: expected) { try reader.forEachRecord { _ in } }
    }

    @Test func ignoresUnknownColumnsWhenAskedTo() throws {
        let delivered = try readCSV("notes,id,labels\nhello,1,a\n", options: options(ignoresUnknownKeys: true))
        #expect(delivered.first?.asset?.key == .int(1))
        #expect(delivered.first?.labelNames == ["a"])
    }

    @Test func skipsRecordsLongerThanTheLimit() throws {
        let long = String(repeating: "x", count: 300)
        let text = "id,name\n1,\(long)\n2,short\n3,\"\(long)\n\(long)\"\n4,end"
        let delivered = try readCSV(text, options: ImportOptions(blockSize: 8, maximumLineBytes: 100))
        #expect(delivered.compactMap(\.failure).allSatisfy { $0.reason == .lineTooLong(limit: 100) })
        let keys = delivered.compactMap { $0.asset?.key }
        #expect(keys == [.int(2), .int(4)])
    }

    @Test func badRecordsLeaveNoLabelsBehind() throws {
        let reader = CSVReader(bytes: Array("id,labels,label_weights\n1,keep,\n2,gone,x\n3,keep|new,".utf8))
        try reader.forEachRecord { _ in }
        #expect(reader.interner.names == ["keep", "new"])
    }
}
