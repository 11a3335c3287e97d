import Foundation
import LabelIndex
import LabelTestSupport
import Testing

@Suite struct BulkLoaderTests {
    struct Line {
        var key: AssetKey
        var name: String
        var labels: [(String, Double?)]
    }

    /// Random import lines: int and typed keys, some repeated, label lists with weights.
    static func lines(count: Int, seed: UInt64) -> [Line] {
        var random = SeededGenerator(seed: seed)
        let names = (0..<40).map { "label-\($0)" }
        return (0..<count).map { index in
            let key: AssetKey =
                Int.random(in: 0..<10, using: &random) == 0
                ? .typed(type: "form", id: "f\(Int.random(in: 0..<(count / 4), using: &random))")
                : .id(Int64.random(in: -Int64(count)...Int64(count), using: &random))
            let labels = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                (names.randomElement(using: &random)!, Bool.random(using: &random) ? 0.5 : nil)
            }
            return Line(key: key, name: "asset \(index)", labels: labels)
        }
    }

    /// Loads lines with the bulk loader into one store and with ordinary operations into
    /// another; the two must hold the same assets with the same labels. With `preexisting`,
    /// both start from the same existing assets, so the loader's update path runs too; without,
    /// the namespace starts empty (the loader's fast path, repeated keys included).
    @Test(arguments: [(500, 1, true), (3_000, 2, true), (2_000, 3, false)] as [(Int, UInt64, Bool)])
    func matchesOrdinaryOperations(count: Int, seed: UInt64, preexisting: Bool) throws {
        let lines = Self.lines(count: count, seed: seed)
        let bulk = try TemporaryStore()
        let ordinary = try TemporaryStore()
        for fixture in [bulk, ordinary] where preexisting {
            try fixture.write { ns in
                for line in lines.prefix(50) {
                    try ns.upsertAsset(line.key, AssetAttributes(name: "old"))
                    try ns.apply(.append(["pre-existing"]), to: line.key)
                }
            }
        }
        let summary = try bulk.store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            for line in lines {
                let labels = try line.labels.map { (try loader.labelID(named: $0.0), $0.1) }
                try loader.add(line.key, AssetAttributes(name: line.name), labels: labels)
            }
            return try loader.finish()
        }
        try ordinary.write { ns in
            for line in lines {
                try ns.upsertAsset(line.key, AssetAttributes(name: line.name))
                try ns.apply(.replace(line.labels.map { LabelAssignment($0.0, weight: $0.1) }), to: line.key)
            }
        }
        #expect(summary.created + summary.updated + summary.unchanged == lines.count)
        #expect(try bulk.verify().isClean)
        #expect(try snapshot(bulk) == snapshot(ordinary))
    }

    @Test func reloadingTheSameDataChangesNothing() throws {
        // Unique keys: an input that repeats a key ends in the same content, but the repeated
        // asset's earlier occurrence differs from what is stored and is written again.
        var seen = Set<AssetKey>()
        let lines = Self.lines(count: 2_000, seed: 3).reversed().filter { seen.insert($0.key).inserted }
        let fixture = try TemporaryStore()
        func load(_ lines: [Line]) throws -> BulkLoader.Summary {
            try fixture.store.write { writer in
                let loader = try writer.bulkLoader(for: .default)
                for line in lines {
                    let labels = try line.labels.map { (try loader.labelID(named: $0.0), $0.1) }
                    try loader.add(
                        line.key, AssetAttributes(name: line.name, createdAt: Date(timeIntervalSince1970: 1e9)),
                        labels: labels)
                }
                return try loader.finish()
            }
        }
        _ = try load(lines)
        let before = try fixture.read { try $0.assets(limit: 10_000) } ?? []
        let second = try load(lines)
        let after = try fixture.read { try $0.assets(limit: 10_000) } ?? []
        #expect(second.created == 0)
        #expect(second.updated == 0)
        #expect(second.unchanged == lines.count)
        #expect(before.count == after.count && zip(before, after).allSatisfy { $0 == $1 }, "updatedAt included")
        #expect(try fixture.verify().isClean)

        let repeated = Self.lines(count: 2_000, seed: 3)
        _ = try load(repeated)
        let first = try snapshot(fixture)
        _ = try load(repeated)
        #expect(try snapshot(fixture) == first)
    }

    @Test func labelDefinitionsCreateAndUpdate() throws {
        let fixture = try TemporaryStore()
        try fixture.store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            try loader.defineLabel(named: "env-prod", color: LabelColor(hex: "#123456"), parentName: "env", weight: 0.5)
            try loader.defineLabel(named: "env", color: LabelColor(hex: "#ABCDEF"), parentName: nil, weight: nil)
            try loader.finish()
        }
        try fixture.read { (ns) throws in
            let prod = try #require(try ns.label(named: "env-prod"))
            let env = try #require(try ns.label(named: "env"))
            #expect(prod.parent == env.id && prod.color.hex == "#123456" && prod.weight == 0.5)
            #expect(env.color.hex == "#ABCDEF")
        }
    }

    private func snapshot(_ fixture: TemporaryStore) throws -> [String] {
        try fixture.read { ns in
            try ns.assets(limit: 100_000).map { asset in
                "\(asset.key) \(asset.name) "
                    + asset.labels.map { "\($0.name)=\($0.weight.map { "\($0)" } ?? "-")" }.joined(separator: ",")
            }.sorted()
        } ?? []
    }
}
