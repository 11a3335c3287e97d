import LabelTestSupport
import Testing

@testable import LabelInterchange

/// The quick path for common lines must agree with the general decoder on every line it
/// accepts, and must leave every other line to it.
@Suite struct QuickPathTests {
    /// Random lines around the common shape: most have it, many miss it by one detail.
    static func randomLine(_ random: inout SeededGenerator) -> String {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let space = pick(["", "", "", " ", "\t", "  "])
        var members: [String] = []
        members.append(
            "\"id\"\(space):\(space)"
                + pick([
                    String(Int64.random(in: .min ... .max, using: &random)), "0", "-0", "9223372036854775807",
                    "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "12", "01", "1.5", "1e3",
                    "\"s\"", "-", "99999999999999999999",
                ]))
        if random.next() % 4 != 0 {
            let name = pick(["https://host.example.com/a", "", "é😀", "tab\\tescaped", "q\\\"", "\u{7F}", "x\u{1}y"])
            members.append("\"name\":\(space)\"\(name)\"")
        }
        if random.next() % 8 != 0 {
            let count = Int(random.next() % 10)
            let labels = (0..<count).map { _ in
                random.next() % 16 != 0
                    ? pick([
                        "\"env-prod\"", "\"team-payments\"", "\"svc-0042\"", "\"tag-\(random.next() % 50)\"",
                        "\"region-eu\"", "\"sixteen-bytes-xx\"", "\"seventeen-bytes-x\"", "\"a\"",
                    ])
                    : pick([
                        "\"\"", "\"café\"", "\"a\\u0062\"", "\"x\u{7F}\"", "{\"name\":\"obj\"}",
                        "\"\(String(repeating: "n", count: 256))\"",
                    ])
            }
            members.append("\"labels\"\(space):[\(space)\(labels.joined(separator: ",\(space)"))\(space)]")
        }
        if random.next() % 10 == 0 { members.append(pick(["\"asset_type\":\"t\"", "\"x\":1", "\"name\":\"again\""])) }
        members.shuffle(using: &random)
        let trailer = pick(["", "", "", " ", "\r", " x", ","])
        return "\(space){\(space)\(members.joined(separator: ",\(space)"))\(space)}\(trailer)"
    }

    @Test func agreesWithTheGeneralDecoder() {
        var random = SeededGenerator(seed: 5)
        var quick = NDJSONRecordDecoder(options: ImportOptions(), interner: LabelInterner())
        var general = NDJSONRecordDecoder(options: ImportOptions(), interner: LabelInterner())
        var accepted = 0
        for _ in 0..<5000 {
            let line = Self.randomLine(&random)
            let quickAsset: AssetRecord? = Array((line + "\n").utf8).withUnsafeBytes { bytes in
                guard let length = quick.decodeCommonLine(bytes) else { return nil }
                #expect(length == bytes.count - 1)
                return quick.asset
            }
            let generalAsset: AssetRecord? = Array(line.utf8).withUnsafeBytes { bytes in
                guard case .success(.asset(let asset)) = general.decode(bytes) else { return nil }
                return asset
            }
            guard let quickAsset else { continue }
            accepted += 1
            guard let generalAsset else {
                Issue.record("the quick path accepted a line the general decoder rejects: \(line)")
                continue
            }
            #expect(quickAsset.key == generalAsset.key, "\(line)")
            #expect(quickAsset.name == generalAsset.name, "\(line)")
            #expect(quickAsset.labels.map(\.weight) == generalAsset.labels.map(\.weight))
            let quickNames = quickAsset.labels.map { quick.labels.interner.names[$0.label] }
            let generalNames = generalAsset.labels.map { general.labels.interner.names[$0.label] }
            #expect(quickNames == generalNames, "\(line)")
            #expect(quickAsset.assetType == nil && quickAsset.metadata == nil && quickAsset.createdAt == nil)
        }
        #expect(accepted > 300)  // Not vacuous: hundreds of lines took the quick path.
    }

    @Test func leavesIncompleteLinesAlone() {
        var decoder = NDJSONRecordDecoder(options: ImportOptions(), interner: LabelInterner())
        let line = Array(#"{"id":1,"labels":["new"]}"#.utf8)
        // Without its line feed the line may continue in the next block.
        #expect(line.withUnsafeBytes { decoder.decodeCommonLine($0) } == nil)
        #expect(decoder.labels.interner.count == 0)
        #expect((line + [0x0A, 0x7B]).withUnsafeBytes { decoder.decodeCommonLine($0) } == line.count)
        #expect(decoder.labels.interner.names == ["new"])
    }
}
