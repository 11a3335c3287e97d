import Testing

@testable import LabelInterchange

@Suite struct NDJSONRecordTests {
    @Test func decodesAnAssetWithEveryField() throws {
        let line = """
            {"id": 123456, "name": "https://example.com", "asset_type": "page", \
            "created_at": "2026-01-02T03:04:05.123+02:00", "updated_at": 1767315845123, \
            "metadata": {"owner": "web", "n": [1, 2.5, null]}, \
            "labels": ["prod", {"name": "api", "weight": 0.8}, {"name": "beta"}, {"weight": null, "name": "w"}]}
            """
        let delivered = try readNDJSON(line)
        #expect(delivered.count == 1)
        let asset = try #require(delivered.first?.asset)
        #expect(asset.key == .int(123_456))
        #expect(asset.name == "https://example.com")
        #expect(asset.assetType == "page")
        #expect(asset.createdAt == 1_767_315_845_123)
        #expect(asset.updatedAt == 1_767_315_845_123)
        #expect(asset.metadata == Array(#"{"owner": "web", "n": [1, 2.5, null]}"#.utf8))
        #expect(delivered.first?.labelNames == ["prod", "api", "beta", "w"])
        #expect(asset.labels.map(\.weight) == [nil, 0.8, nil, nil])
    }

    @Test func decodesTypedKeys() throws {
        let delivered = try readNDJSON(#"{"id": "251464995493876", "type": "form", "asset_type": "page"}"#)
        let asset = try #require(delivered.first?.asset)
        #expect(asset.key == .typed(type: "form", id: "251464995493876"))
        #expect(asset.assetType == "page")
        #expect(asset.name == "")
        #expect(asset.labels.isEmpty)
    }

    @Test func treatsNullAsAbsentExceptInMetadata() throws {
        let line =
            #"{"id":-7,"name":null,"asset_type":null,"created_at":null,"updated_at":null,"labels":null,"metadata":null}"#
        let asset = try #require(try readNDJSON(line).first?.asset)
        #expect(asset == AssetRecord(key: .int(-7), metadata: Array("null".utf8)))
    }

    @Test func acceptsKeysInAnyOrderAndAnyWhitespace() throws {
        let compact = try readNDJSON(#"{"id":1,"name":"n","labels":["a","b"]}"#)
        let spaced = try readNDJSON(" {\t\"labels\" : [ \"a\" ,\"b\" ] , \"name\":\"n\" ,\"id\" : 1 }\r")
        #expect(compact == spaced)
    }

    @Test func decodesEscapesInKeysNamesAndLabels() throws {
        let line =
            #"{"i\u0064":1,"name":"tab\there \"quoted\" \\ \/ \u00e9","labels":["caf\u00e9","a\"b","\ud83d\ude00","back\\slash"]}"#
        let delivered = try readNDJSON(line)
        let asset = try #require(delivered.first?.asset)
        #expect(asset.name == "tab\there \"quoted\" \\ / é")
        #expect(delivered.first?.labelNames == ["café", "a\"b", "😀", "back\\slash"])
    }

    @Test func escapedAndPlainSpellingsInternToOneLabel() throws {
        let reader = NDJSONReader(
            bytes: Array("{\"id\":1,\"labels\":[\"caf\\u00e9\"]}\n{\"id\":2,\"labels\":[\"café\"]}".utf8))
        var labels: [Int] = []
        try reader.forEachRecord { labels += try $0.get().assetLabels }
        #expect(labels == [0, 0])
        #expect(reader.interner.names == ["café"])
    }

    @Test(arguments: [
        (#"{"id":9223372036854775807}"#, AssetRecord.Key.int(.max)),
        (#"{"id":-9223372036854775808}"#, .int(.min)),
        (#"{"id":0}"#, .int(0)),
        (#"{"type":"t","id":"x y"}"#, .typed(type: "t", id: "x y")),
    ])
    func decodesKeyBounds(line: String, key: AssetRecord.Key) throws {
        #expect(try readNDJSON(line).first?.asset?.key == key)
    }

    @Test func decodesLabelDefinitions() throws {
        let text = """
            {"label": "env-prod", "color": "#1F77B4", "parent": "env", "weight": 0.5}
            {"label": "env"}
            {"label": "x", "color": null, "parent": null, "weight": null}
            {"label": "a\\u0062", "color": "#abcdef", "weight": -1e-3}
            """
        let labels = try readNDJSON(text).map(\.label)
        #expect(
            labels == [
                LabelRecord(name: "env-prod", color: "#1F77B4", parent: "env", weight: 0.5),
                LabelRecord(name: "env"),
                LabelRecord(name: "x"),
                LabelRecord(name: "ab", color: "#abcdef", weight: -0.001),
            ])
    }

    /// `name` is the label's name on a line without `id`, as in the label APIs' own shape;
    /// `label` is its alias, and both decode to the same definitions.
    @Test func decodesLabelDefinitionsNamedByName() throws {
        let byLabel = """
            {"label": "env-prod", "color": "#1F77B4", "parent": "env", "weight": 0.5}
            {"label": "env", "parent": null}
            {"label": "a\\u0062"}
            """
        let byName = byLabel.replacingOccurrences(of: #""label""#, with: #""name""#)
        let labels = try readNDJSON(byName).map(\.label)
        #expect(labels == (try readNDJSON(byLabel).map(\.label)))
        #expect(labels.count == 3 && labels.allSatisfy { $0 != nil })
    }

    @Test func ignoresUnknownKeysWhenAskedTo() throws {
        let line = #"{"id":1,"extra":{"deep":[1,{"x":null}]},"labels":[{"name":"a","note":"x"}],"z":"\u00e9"}"#
        let strict = try readNDJSON(line)
        #expect(strict.first?.failure?.reason == .unknownKey("extra"))
        let lenient = try readNDJSON(line, options: options(ignoresUnknownKeys: true))
        #expect(lenient.first?.labelNames == ["a"])
        // Skipped values must still be valid JSON.
        let broken = try readNDJSON(#"{"id":1,"extra":[1,]}"#, options: options(ignoresUnknownKeys: true))
        #expect(
            broken.first?.failure?.reason == .malformedJSON(.unexpectedByte(UInt8(ascii: "]"), expected: "a value")))
    }

    @Test func sharesAnInternerAcrossReaders() throws {
        let first = NDJSONReader(bytes: Array(#"{"id":1,"labels":["a","b"]}"#.utf8))
        try first.forEachRecord { _ = try $0.get() }
        let second = NDJSONReader(bytes: Array(#"{"id":2,"labels":["c","a"]}"#.utf8), interner: first.interner)
        var labels: [Int] = []
        try second.forEachRecord { labels += try $0.get().assetLabels }
        #expect(labels == [2, 0])
        #expect(second.interner.names == ["a", "b", "c"])
    }
}

extension InterchangeRecord {
    /// The label indices of an asset record (none for a label definition).
    var assetLabels: [Int] {
        if case .asset(let asset) = self { return asset.labels.map(\.label) }
        return []
    }
}
