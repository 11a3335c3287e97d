import Foundation
import LabelTestSupport
import Testing

@testable import LabelInterchange

/// Collects a writer's output in memory.
final class OutputCollector: @unchecked Sendable {
    var bytes: [UInt8] = []

    func writer() -> NDJSONWriter {
        NDJSONWriter(name: "memory") { chunk in self.bytes.append(contentsOf: chunk) }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

@Suite struct RoundTripTests {
    static let awkwardStrings = [
        "", "plain", "with \"quotes\"", "back\\slash", "tab\tnew\nline\r", "nul\u{0}bell\u{7}esc\u{1B}",
        "del\u{7F}", "emoji 😀👍🏽", "é€", "\u{2028}\u{2029}", "/slash/", "\u{85}next-line",
    ]
    static let labelNames = [
        "prod", "with \"quotes\"", "back\\slash", "emoji 😀", "team:payments", "a|b", "é", "x",
        String(repeating: "long", count: 60), " padded ",
    ]
    static let weights: [Double] = [
        0.1, 1e-300, -0.0, 0, .leastNonzeroMagnitude, 1.7976931348623157e308, -2.5, 1.0 / 3.0, 123456789.125, 1e22,
        1e23,
    ]

    static func randomAsset(_ random: inout SeededGenerator, labelCount: Int) -> AssetRecord {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let key: AssetRecord.Key =
            random.next() % 3 == 0
            ? .typed(type: pick(["form", "page", "t\"y"]), id: pick(["251464995493876", "x y", "é\n"]))
            : .int(Int64(bitPattern: random.next()))
        var asset = AssetRecord(key: key, name: pick(awkwardStrings))
        if random.next() % 2 == 0 { asset.assetType = pick(awkwardStrings) }
        let timestamps: [Int64] = [
            0, -1, 1_767_323_045_123, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001, .max, .min,
            Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &random),
        ]
        if random.next() % 2 == 0 { asset.createdAt = pick(timestamps) }
        if random.next() % 2 == 0 { asset.updatedAt = pick(timestamps) }
        if random.next() % 3 == 0 {
            asset.metadata = Array(
                pick([#"{"a": [1, 2.5e-3, "x\n"], "b": null}"#, "null", "[]", "\"s\"", "-0.0"]).utf8)
        }
        var used = Set<Int>()
        for _ in 0..<Int(random.next() % 6) {
            let label = Int(random.next() % UInt64(labelCount))
            guard used.insert(label).inserted else { continue }
            let weight: Double? =
                random.next() % 2 == 0 ? nil : random.next() % 2 == 0 ? pick(weights) : finiteDouble(&random)
            asset.labels.append((label, weight))
        }
        return asset
    }

    static func finiteDouble(_ random: inout SeededGenerator) -> Double {
        while true {
            let value = Double(bitPattern: random.next())
            if value.isFinite { return value }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func writerOutputReadsBackToTheSameRecords(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let labels = [
            LabelRecord(name: "x", parent: "prod"),
            LabelRecord(name: "prod", color: "#1F77B4", weight: 0.5),
            LabelRecord(name: "with \"quotes\"", color: "#abcdef", parent: "x", weight: -0.0),
            LabelRecord(name: "é"),
        ]
        let assets = (0..<300).map { _ in Self.randomAsset(&random, labelCount: Self.labelNames.count) }

        let output = OutputCollector()
        let writer = output.writer()
        try writer.writeLabels(labels)
        for asset in assets { try writer.writeAsset(asset, labelNames: Self.labelNames) }
        try writer.close()

        let reader = NDJSONReader(
            bytes: output.bytes, options: options(blockSize: Int(random.next() % 300) + 1))
        var readLabels: [LabelRecord] = []
        var readAssets: [AssetRecord] = []
        try reader.forEachRecord { result in
            switch try result.get() {
            case .label(let label): readLabels.append(label)
            case .asset(var asset):
                // Translate the reader's label indices back into the writer's.
                asset.labels = asset.labels.map {
                    (Self.labelNames.firstIndex(of: reader.interner.names[$0.label])!, $0.weight)
                }
                readAssets.append(asset)
            }
        }
        #expect(Set(readLabels.map(\.name)) == Set(labels.map(\.name)))
        for label in labels { #expect(readLabels.contains(label)) }
        #expect(readAssets.count == assets.count)
        for (read, written) in zip(readAssets, assets) {
            var expected = written
            // Export turns line breaks in metadata (JSON whitespace) into spaces.
            expected.metadata = written.metadata.map { $0.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 } }
            #expect(read == expected)
            // `==` treats 0.0 and -0.0 alike; the bits must match too.
            #expect(read.labels.map { $0.weight?.bitPattern } == written.labels.map { $0.weight?.bitPattern })
        }
    }

    @Test func writesParentsBeforeChildren() throws {
        let labels = [
            LabelRecord(name: "leaf", parent: "root/mid"), LabelRecord(name: "other"),
            LabelRecord(name: "mid", parent: "root"), LabelRecord(name: "root"),
            LabelRecord(name: "orphan", parent: "elsewhere"),
        ]
        let output = OutputCollector()
        let writer = output.writer()
        try writer.writeLabels(labels)
        try writer.flush()
        let order = try readNDJSON(output.text).compactMap { $0.label?.name }
        #expect(order == ["root", "mid", "leaf", "other", "orphan"])
    }

    @Test func refusesWhatCannotBeReadBack() throws {
        let writer = OutputCollector().writer()
        #expect(throws: NDJSONWriterError.nonFiniteWeight(.infinity)) {
            try writer.writeLabels([LabelRecord(name: "a", weight: .infinity)])
        }
        #expect(throws: NDJSONWriterError.labelIndexOutOfRange(3)) {
            try writer.writeAsset(AssetRecord(key: .int(1), labels: [(3, nil)]), labelNames: ["a"])
        }
        #expect(throws: NDJSONWriterError.self) {
            try writer.writeAsset(AssetRecord(key: .int(1), labels: [(0, .nan)]), labelNames: ["a"])
        }
        #expect(
            throws: NDJSONWriterError.invalidMetadata(
                JSONError(offset: 5, reason: .unexpectedByte(0x7D, expected: "a value")))
        ) {
            try writer.writeAsset(AssetRecord(key: .int(1), metadata: Array(#"{"a":}"#.utf8)), labelNames: [])
        }
        #expect(throws: NDJSONWriterError.labelsAfterAssets) { try writer.writeLabels([LabelRecord(name: "late")]) }
    }

    @Test func aRefusedAssetLeavesNoPartialLine() throws {
        let output = OutputCollector()
        let writer = output.writer()
        try writer.writeAsset(AssetRecord(key: .int(1)), labelNames: [])
        #expect(throws: NDJSONWriterError.self) {
            try writer.writeAsset(AssetRecord(key: .int(2), name: "half", labels: [(9, nil)]), labelNames: [])
        }
        try writer.writeAsset(AssetRecord(key: .int(3)), labelNames: [])
        try writer.close()
        #expect(output.text == "{\"id\":1,\"name\":\"\",\"labels\":[]}\n{\"id\":3,\"name\":\"\",\"labels\":[]}\n")
    }

    @Test func writesTheDocumentedLayout() throws {
        let output = OutputCollector()
        let writer = output.writer()
        try writer.writeLabels([LabelRecord(name: "env-prod", color: "#1F77B4", parent: "env", weight: 0.5)])
        try writer.writeAsset(
            AssetRecord(
                key: .typed(type: "form", id: "2514"), name: "Sign\u{1}up \"é\"", assetType: "page",
                createdAt: 1_767_323_045_123, updatedAt: 253_402_300_800_000, metadata: Array("{\"k\":\n1}".utf8),
                labels: [(0, nil), (1, 0.1)]),
            labelNames: ["env-prod", "a\\b"])
        try writer.close()
        let expected = """
            {"label":"env-prod","color":"#1F77B4","parent":"env","weight":0.5}
            {"id":"2514","type":"form","name":"Sign\\u0001up \\"é\\"","asset_type":"page",\
            "created_at":"2026-01-02T03:04:05.123Z","updated_at":253402300800000,\
            "labels":["env-prod",{"name":"a\\\\b","weight":0.1}],"metadata":{"k": 1}}

            """
        #expect(output.text == expected)
    }

    @Test func writesAndReadsAFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("li-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("export.ndjson").path
        let writer = try NDJSONWriter(fileAt: path)
        for id in 0..<20_000 {
            try writer.writeAsset(
                AssetRecord(key: .int(Int64(id)), labels: [(id % 3, nil)]), labelNames: ["a", "b", "c"])
        }
        try writer.close()
        let reader = try NDJSONReader(fileAt: path)
        var count = 0
        try reader.forEachRecord { result in
            let key = try result.get().assetKey
            #expect(key == .int(Int64(count)))
            count += 1
        }
        #expect(count == 20_000)
        #expect(reader.interner.names == ["a", "b", "c"])
        #expect(throws: InterchangeIOError.self) { try NDJSONWriter(fileAt: "/nonexistent/dir/x.ndjson") }
    }
}
