import Foundation
import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelInterchange

/// The bridge between the files and the engine: import, export, round trips, bad lines.
@Suite struct ImportExportTests {
    final class Directory {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("interchange-\(UUID().uuidString)")
            .path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        func file(_ name: String, _ text: String) throws -> String {
            let file = "\(path)/\(name)"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }

        func store(_ name: String) throws -> LabelStore {
            var options = LabelStore.Options()
            options.durability = .noSync
            options.initialMapSize = 64 << 20
            return try LabelStore(path: "\(path)/\(name)", options: options)
        }
    }

    /// A seeded NDJSON file with every feature: label definitions with parents, int and typed
    /// keys, weights, timestamps, metadata, names needing escapes.
    static func sampleFile(assets: Int, seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed)
        var lines = [
            ##"{"label":"env","color":"#123456"}"##, ##"{"label":"env-prod","parent":"env","weight":0.5}"##,
            ##"{"label":"team \"a\"","color":"#ABCDEF"}"##,
        ]
        let names = ["env", "env-prod", "team \"a\"", "api", "db", "é", "x/y", "critical"]
        for index in 0..<assets {
            let chosen = Array(
                Set((0..<Int.random(in: 0...4, using: &random)).map { _ in names.randomElement(using: &random)! })
            )
            .sorted()
            let labels = chosen.map { name -> String in
                let escaped = name.replacingOccurrences(of: "\"", with: "\\\"")
                return Bool.random(using: &random) ? "\"\(escaped)\"" : "{\"name\":\"\(escaped)\",\"weight\":0.25}"
            }
            let key = index % 5 == 0 ? "\"id\":\"f\(index)\",\"type\":\"form\"" : "\"id\":\(index * 37 - 900)"
            var line = "{\(key),\"name\":\"asset \(index) \\u00e9\",\"labels\":[\(labels.joined(separator: ","))]"
            if index % 3 == 0 { line += ",\"created_at\":\"2026-01-0\(index % 9 + 1)T03:04:05.678Z\"" }
            if index % 7 == 0 { line += ",\"metadata\":{\"n\":\(index),\"tags\":[1,2]}" }
            lines.append(line + "}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func export(_ store: LabelStore) throws -> String {
        var output = Data()
        let writer = NDJSONWriter(name: "export") { output.append(contentsOf: $0) }
        try Exporter(store: store).export(to: writer)
        try writer.close()
        return String(decoding: output, as: UTF8.self)
    }

    @Test func exportThenImportGivesAnIdenticalNamespace() throws {
        let directory = try Directory()
        let source = try directory.file("sample.ndjson", Self.sampleFile(assets: 2_000, seed: 1))
        let first = try directory.store("first")
        let report = try Importer(store: first).importFiles([source])
        #expect(report.badLines == 0, "\(report.errors)")
        #expect(report.assetsCreated == 2_000 && report.labelsDefined == 3)
        #expect(try first.read { try $0.verify() }.isClean)
        let exported = try export(first)
        let second = try directory.store("second")
        try Importer(store: second).importFiles([try directory.file("exported.ndjson", exported)])
        #expect(try export(second) == exported)
        let assets = try second.read { try $0.namespace(.default)!.assets(limit: 5_000) }
        let original = try first.read { try $0.namespace(.default)!.assets(limit: 5_000) }
        #expect(assets.map(\.key) == original.map(\.key))
        #expect(assets.map(\.labels) == original.map(\.labels))
        #expect(assets.map(\.metadata) == original.map(\.metadata))
        #expect(assets.map(\.createdAt) == original.map(\.createdAt))
    }

    /// A tree that repeats a name under two parents: definitions name their parents by path,
    /// assets their labels; the export says the same, and a second store reads it back to the
    /// same export.
    @Test func treesWithRepeatedNamesRoundTrip() throws {
        let directory = try Directory()
        let file = [
            #"{"label":"2024"}"#, #"{"label":"Q1","parent":"2024"}"#, #"{"label":"2025"}"#,
            #"{"name":"Q1","parent":"2025"}"#, #"{"label":"week/1","parent":"2025/Q1"}"#,
            #"{"id":1,"labels":["2024/Q1"]}"#, #"{"id":2,"labels":["2025/Q1","2025/Q1/week\\/1"]}"#,
        ].joined(separator: "\n")
        let first = try directory.store("first")
        let report = try Importer(store: first).importFiles([try directory.file("tree.ndjson", file)])
        #expect(report.badLines == 0, "\(report.errors)")
        #expect(report.labelsDefined == 5)
        let labels = try first.read { try $0.namespace(.default)!.labels() }
        #expect(labels.map(\.path) == ["2024", "2024/Q1", "2025", "2025/Q1", #"2025/Q1/week\/1"#])
        #expect(labels.map(\.name) == ["2024", "Q1", "2025", "Q1", "week/1"])
        let exported = try export(first)
        #expect(exported.contains(#"{"label":"Q1","color":"#))
        #expect(exported.contains(#""parent":"2025/Q1""#))
        let second = try directory.store("second")
        try Importer(store: second).importFiles([try directory.file("exported.ndjson", exported)])
        #expect(try export(second) == exported)
        #expect(try second.read { try $0.verify() }.isClean)
    }

    /// The issue's file: label definitions in the label APIs' shape (`name`, `parent: null`)
    /// import like `label` lines, and the two stores export the same.
    @Test func labelDefinitionsNamedByNameImportLikeLabelLines() throws {
        let directory = try Directory()
        let byLabel = Self.sampleFile(assets: 50, seed: 3)
        let definitions = byLabel.split(separator: "\n").prefix(3).joined(separator: "\n")
        let byName = byLabel.replacingOccurrences(
            of: definitions, with: definitions.replacingOccurrences(of: #"{"label":"#, with: #"{"name":"#))
        #expect(byName != byLabel)
        let first = try directory.store("by-label")
        let second = try directory.store("by-name")
        try Importer(store: first).importFiles([try directory.file("by-label.ndjson", byLabel)])
        let report = try Importer(store: second).importFiles([try directory.file("by-name.ndjson", byName)])
        #expect(report.badLines == 0, "\(report.errors)")
        #expect(report.labelsDefined == 3)
        // Import stamps `updated_at` with the time of day, so the label lines and each asset's
        // labels are what must match.
        func labelLines(_ store: LabelStore) throws -> [Substring] {
            try export(store).split(separator: "\n").filter { $0.hasPrefix(#"{"label":"#) }
        }
        func assetLabels(_ store: LabelStore) throws -> [[AssetLabel]] {
            try store.read { try $0.namespace(.default)!.assets(limit: 100).map(\.labels) }
        }
        #expect(try labelLines(first).count >= 3)
        #expect(try labelLines(second) == (try labelLines(first)))
        #expect(try assetLabels(second) == (try assetLabels(first)))
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let directory = try Directory()
        let source = try directory.file("sample.ndjson", Self.sampleFile(assets: 1_500, seed: 2))
        let store = try directory.store("store")
        try Importer(store: store).importFiles([source])
        let before = try export(store)
        let again = try Importer(store: store).importFiles([source])
        #expect(again.assetsCreated == 0 && again.assetsUpdated == 0 && again.assetsUnchanged == 1_500)
        #expect(try export(store) == before)
    }

    @Test func badLinesAreSkippedAndReportedPrecisely() throws {
        let directory = try Directory()
        let source = try directory.file(
            "bad.ndjson",
            """
            {"id":1,"name":"ok","labels":["a"]}
            {"id":2,"name":"broken",
            {"id":3,"labels":["\(String(repeating: "x", count: 300))"]}
            {"id":"x","labels":[]}
            {"id":4,"labels":["b"]}

            """)
        let store = try directory.store("store")
        var configuration = ImportConfiguration()
        configuration.batchSize = 2
        let report = try Importer(store: store, configuration: configuration).importFiles([source])
        #expect(report.assetsCreated == 2)
        #expect(report.badLines == 3)
        #expect(report.errors.map(\.line) == [2, 3, 4])
        #expect(report.errors.allSatisfy { $0.file.hasSuffix("bad.ndjson") })
        #expect(try store.read { try $0.namespace(.default)!.assetCount } == 2)
    }

    @Test func stopModeLeavesNothingHalfWritten() throws {
        let directory = try Directory()
        var text = Self.sampleFile(assets: 5_000, seed: 3)
        text += "{\"id\":99999999,\"labels\":[\"\"]}\n"
        let source = try directory.file("late-error.ndjson", text)
        let store = try directory.store("store")
        var configuration = ImportConfiguration()
        configuration.onError = .stop
        #expect {
            try Importer(store: store, configuration: configuration).importFiles([source])
        } throws: { error in
            guard case ImportError.badLine(let line) = error else { return false }
            return line.line == 5_004
        }
        #expect(try store.read { try $0.namespace(.default) } == nil, "nothing of the import was committed")
    }

    /// Transactions that must grow the map run again; the importer re-reads only their lines.
    @Test(arguments: [ImportConfiguration.ErrorPolicy.skip, .stop])
    func transactionsThatRunAgainImportEverythingOnce(policy: ImportConfiguration.ErrorPolicy) throws {
        let directory = try Directory()
        let source = try directory.file("sample.ndjson", Self.sampleFile(assets: 6_000, seed: 4))
        var options = LabelStore.Options()
        options.durability = .noSync
        options.initialMapSize = 256 * 1024
        let small = try LabelStore(path: "\(directory.path)/small", options: options)
        var configuration = ImportConfiguration()
        configuration.onError = policy
        configuration.batchSize = 1_000
        configuration.reservesCapacity = false
        let report = try Importer(store: small, configuration: configuration).importFiles([source])
        #expect(report.assetsCreated == 6_000 && report.labelsDefined == 3)
        #expect(try small.read { try $0.statistics() }.mapSize > 256 * 1024, "the map grew, so transactions ran again")
        let reference = try directory.store("reference")
        try Importer(store: reference).importFiles([source])
        // Assets without created_at get the clock time of their import, so compare content.
        func content(_ store: LabelStore) throws -> [String] {
            try store.read { snapshot in
                try snapshot.namespace(.default)!.assets(limit: 10_000).map { asset in
                    "\(asset.key) \(asset.name) \(asset.labels.map { "\($0.name)=\($0.weight ?? -1)" }) \(asset.metadata ?? [])"
                }
            }
        }
        #expect(try content(small) == content(reference))
        #expect(
            try small.read { try $0.namespace(.default)!.labels() }.map(\.name)
                == reference.read { try $0.namespace(.default)!.labels() }.map(\.name))
        #expect(try small.read { try $0.verify() }.isClean)
    }

    @Test func csvImportsLikeNDJSON() throws {
        let directory = try Directory()
        let csv = try directory.file(
            "assets.csv",
            """
            id,name,labels,label_weights
            1,"first, asset",prod|api,|0.5
            2,second,prod,

            """)
        let store = try directory.store("store")
        let report = try Importer(store: store).importFiles([csv])
        #expect(report.assetsCreated == 2 && report.badLines == 0)
        let labels = try store.read { try $0.namespace(.default)!.labels(of: .id(1)) }
        #expect(labels?.map(\.name) == ["prod", "api"])
        #expect(labels?.map(\.weight) == [nil, 0.5])
    }

    @Test func anUnreadableFileIsAnError() throws {
        let directory = try Directory()
        let store = try directory.store("store")
        #expect(throws: ImportError.self) {
            try Importer(store: store).importFiles(["\(directory.path)/missing.ndjson"])
        }
    }
}
