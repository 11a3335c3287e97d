import LabelIndex
import LabelTestSupport
import Roaring
import Testing

/// Random sequences of operations applied to the engine and to `ReferenceModel`; after every
/// step the two must agree on everything observable and `verify()` must be clean.
@Suite struct ModelBasedTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func engineAgreesWithTheModel(seed: UInt64) throws {
        let fixture = try TemporaryStore()
        var model = ReferenceModel()
        var random = SeededGenerator(seed: seed)
        for step in 0..<1000 {
            let operation = ReferenceModel.Operation.random(using: &random, model: model)
            let expected = model.applying(operation)
            do {
                try fixture.write { ns in try operation.apply(to: ns) }
                guard case .success(let next) = expected else {
                    Issue.record("step \(step): \(operation) succeeded but the model expected \(expected)")
                    return
                }
                model = next
            } catch {
                guard case .failure = expected else {
                    Issue.record("step \(step): \(operation) failed with \(error) but the model expected success")
                    return
                }
            }
            try model.expectMatches(fixture, step: step, operation: operation)
            if step % 5 == 0 {
                let report = try fixture.verify()
                #expect(report.isClean, "step \(step) after \(operation): \(report)")
                if !report.isClean { return }
            }
        }
        #expect(try fixture.verify().isClean)
    }
}

/// The engine's observable behaviour, written as plainly as possible.
struct ReferenceModel {
    struct Asset: Equatable {
        var ordinal: UInt32
        var labels: [(name: String, weight: Double?)]
        static func == (a: Asset, b: Asset) -> Bool {
            a.ordinal == b.ordinal && a.labels.map(\.name) == b.labels.map(\.name)
                && a.labels.map(\.weight) == b.labels.map(\.weight)
        }
    }

    var assets: [Int64: Asset] = [:]
    var nextOrdinal: UInt32 = 0
    /// Label name → parent name.
    var labels: [String: String?] = [:]

    struct Rejected: Error {}

    enum Operation: CustomStringConvertible {
        case upsert(Int64)
        case delete(Int64)
        case change(LabelChange, Int64)
        case create(String, parent: String?)
        case rename(String, to: String)
        case move(String, under: String?)
        case deleteLabel(String)
        case bulk(LabelChange, [Int64])

        static let names = [
            "prod", "staging", "api", "db", "web", "team-a", "team-b", "eu", "us", "x y", "É", "critical",
        ]
        static let ids: [Int64] = Array(-3...12)

        static func random(using random: inout SeededGenerator, model: ReferenceModel) -> Operation {
            func name() -> String { names.randomElement(using: &random)! }
            func id() -> Int64 { ids.randomElement(using: &random)! }
            func assignments() -> [LabelAssignment] {
                (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    LabelAssignment(
                        name(),
                        weight: Bool.random(using: &random) ? Double(Int.random(in: 0...4, using: &random)) / 4 : nil)
                }
            }
            func change() -> LabelChange {
                switch Int.random(in: 0..<3, using: &random) {
                case 0: .append(assignments())
                case 1: .replace(assignments())
                default: .remove((0..<Int.random(in: 0...3, using: &random)).map { _ in name() })
                }
            }
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<18: return .upsert(id())
            case 18..<24: return .delete(id())
            case 24..<70: return .change(change(), id())
            case 70..<76: return .create(name(), parent: Bool.random(using: &random) ? name() : nil)
            case 76..<82: return .rename(name(), to: name() + (Bool.random(using: &random) ? "" : "-2"))
            case 82..<90: return .move(name(), under: Bool.random(using: &random) ? name() : nil)
            case 90..<94: return .deleteLabel(name())
            default: return .bulk(change(), (0..<Int.random(in: 0...5, using: &random)).map { _ in id() })
            }
        }

        func apply(to ns: NamespaceWriter) throws {
            func labelID(_ name: String) throws -> LabelID {
                guard let id = try ns.labelID(named: name) else { throw LabelIndexError.labelNameNotFound(name) }
                return id
            }
            switch self {
            case .upsert(let id): try ns.upsertAsset(.id(id))
            case .delete(let id): try ns.deleteAsset(.id(id))
            case .change(let change, let id): try ns.apply(change, to: .id(id))
            // The model keeps names unique in the namespace (so a name alone names a label, as
            // `labelID(named:)` allows); the same name under two parents is LabelPathTests' part.
            case .create(let name, let parent):
                if try !ns.labelIDs(withName: name).isEmpty { throw LabelIndexError.labelAlreadyExists(name) }
                try ns.createLabel(NewLabel(name: name, parent: try parent.map(labelID)))
            case .rename(let from, let to):
                if from != to, try !ns.labelIDs(withName: to).isEmpty { throw LabelIndexError.labelAlreadyExists(to) }
                try ns.updateLabel(try labelID(from), LabelUpdate(name: to))
            case .move(let name, let parent):
                try ns.updateLabel(
                    try labelID(name), LabelUpdate(parent: try parent.map { .label(try labelID($0)) } ?? .root))
            case .deleteLabel(let name): try ns.deleteLabel(try labelID(name))
            case .bulk(let change, let ids):
                var ordinals = RoaringBitmap()
                for id in ids { if let ordinal = try ns.ordinal(of: .id(id)) { ordinals.insert(ordinal.rawValue) } }
                try ns.apply(change, toOrdinals: ordinals)
            }
        }

        var description: String {
            switch self {
            case .upsert(let id): "upsert \(id)"
            case .delete(let id): "delete \(id)"
            case .change(let change, let id): "\(change) on \(id)"
            case .create(let name, let parent): "create \(name) under \(parent ?? "root")"
            case .rename(let from, let to): "rename \(from) to \(to)"
            case .move(let name, let parent): "move \(name) under \(parent ?? "root")"
            case .deleteLabel(let name): "delete label \(name)"
            case .bulk(let change, let ids): "bulk \(change) on \(ids)"
            }
        }
    }

    /// The model after `operation`, or a failure when the engine must reject it.
    func applying(_ operation: Operation) -> Result<ReferenceModel, Rejected> {
        var next = self
        switch operation {
        case .upsert(let id):
            if next.assets[id] == nil {
                next.assets[id] = Asset(ordinal: next.nextOrdinal, labels: [])
                next.nextOrdinal += 1
            }
        case .delete(let id):
            next.assets[id] = nil
        case .change(let change, let id):
            guard var asset = next.assets[id] else { return .failure(Rejected()) }
            next.apply(change, to: &asset)
            next.assets[id] = asset
        case .create(let name, let parent):
            guard next.labels[name] == nil else { return .failure(Rejected()) }
            if let parent, next.labels[parent] == nil { return .failure(Rejected()) }
            next.labels[name] = .some(parent)
        case .rename(let from, let to):
            guard next.labels[from] != nil else { return .failure(Rejected()) }
            guard from != to else { break }
            guard next.labels[to] == nil else { return .failure(Rejected()) }
            next.labels[to] = next.labels.removeValue(forKey: from)!
            for (label, parent) in next.labels where parent == from { next.labels[label] = .some(to) }
            for (id, var asset) in next.assets {
                asset.labels = asset.labels.map { ($0.name == from ? to : $0.name, $0.weight) }
                next.assets[id] = asset
            }
        case .move(let name, let parent):
            guard next.labels[name] != nil else { return .failure(Rejected()) }
            if let parent {
                guard next.labels[parent] != nil else { return .failure(Rejected()) }
                if parent == name || next.ancestors(of: parent).contains(name) { return .failure(Rejected()) }
            }
            next.labels[name] = .some(parent)
        case .deleteLabel(let name):
            guard next.labels[name] != nil else { return .failure(Rejected()) }
            let doomed = Set([name] + next.descendants(of: name))
            for label in doomed { next.labels[label] = nil }
            for (id, var asset) in next.assets {
                asset.labels.removeAll { doomed.contains($0.name) }
                next.assets[id] = asset
            }
        case .bulk(let change, let ids):
            for id in Set(ids) {
                guard var asset = next.assets[id] else { continue }
                next.apply(change, to: &asset)
                next.assets[id] = asset
            }
        }
        return .success(next)
    }

    private mutating func apply(_ change: LabelChange, to asset: inout Asset) {
        func deduplicated(_ assignments: [LabelAssignment]) -> [(name: String, weight: Double?)] {
            var seen = Set<String>()
            return assignments.filter { seen.insert($0.name).inserted }.map { ($0.name, $0.weight) }
        }
        switch change {
        case .append(let assignments):
            for label in deduplicated(assignments) {
                if labels[label.name] == nil { labels[label.name] = .some(nil) }
                if let position = asset.labels.firstIndex(where: { $0.name == label.name }) {
                    if let weight = label.weight { asset.labels[position].weight = weight }
                } else {
                    asset.labels.append(label)
                }
            }
        case .replace(let assignments):
            asset.labels = deduplicated(assignments)
            for label in asset.labels where labels[label.name] == nil { labels[label.name] = .some(nil) }
        case .remove(let names):
            asset.labels.removeAll { names.contains($0.name) }
        }
    }

    func ancestors(of name: String) -> [String] {
        var result: [String] = []
        var current = labels[name] ?? nil
        while let parent = current {
            result.append(parent)
            current = labels[parent] ?? nil
        }
        return result
    }

    func descendants(of name: String) -> [String] {
        let children = labels.filter { $0.value == name }.map(\.key)
        return children + children.flatMap { descendants(of: $0) }
    }

    func expectMatches(_ fixture: TemporaryStore, step: Int, operation: Operation) throws {
        let context = Comment(rawValue: "step \(step) after \(operation)")
        try fixture.store.read { snapshot in
            guard let ns = try snapshot.namespace(.default) else {
                #expect(assets.isEmpty && labels.isEmpty, context)
                return
            }
            #expect(ns.assetCount == assets.count, context)
            #expect(try ns.pairCount() == assets.values.reduce(0) { $0 + $1.labels.count }, context)
            for id in ReferenceModel.Operation.ids {
                let stored = try ns.asset(.id(id))
                let expected = assets[id]
                #expect(stored?.ordinal.rawValue == expected?.ordinal, context)
                // Assets show paths; the model's labels are its names.
                #expect(try stored?.labels.map { try ns.label($0.id)?.name } == expected?.labels.map(\.name), context)
                #expect(stored?.labels.map(\.weight) == expected?.labels.map(\.weight), context)
            }
            let stored = try ns.labels()
            #expect(Set(stored.map(\.name)) == Set(labels.keys), context)
            let namesByID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0.name) })
            for label in stored {
                #expect(label.parent.flatMap { namesByID[$0] } == labels[label.name] ?? nil, context)
                let members = Set(
                    assets.filter { $0.value.labels.contains { $0.name == label.name } }.map(\.value.ordinal))
                #expect(label.assetCount == members.count, context)
                #expect(Set(try ns.postings(of: .label(label.id)).values) == members, context)
            }
            let everyone = Set(assets.values.map(\.ordinal))
            #expect(Set(try ns.postings(of: .universe).values) == everyone, context)
            let labelled = Set(assets.values.filter { !$0.labels.isEmpty }.map(\.ordinal))
            #expect(Set(try ns.postings(of: .labelled).values) == labelled, context)
        }
    }
}
