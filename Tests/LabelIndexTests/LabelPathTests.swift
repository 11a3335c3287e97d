import Foundation
import LMDB
import LabelTestSupport
import Testing

@testable import LabelIndex

/// Label names are unique among siblings; strings name labels by path (`LabelPath`).
@Suite struct LabelPathTests {
    let fixture: TemporaryStore

    init() throws { fixture = try TemporaryStore() }

    @Test func pathsEscapeSlashesAndBackslashesBelowTheRootOnly() {
        #expect(LabelPath.path(of: "a/b", under: nil) == "a/b")
        #expect(LabelPath.path(of: "Q1", under: "2025") == "2025/Q1")
        #expect(LabelPath.path(of: "week/1", under: "2025/Q1") == #"2025/Q1/week\/1"#)
        #expect(LabelPath.path(of: #"a\b"#, under: "x") == #"x/a\\b"#)
        #expect(LabelPath.path(of: "é", under: "x") == "x/é")
    }

    @Test func theSameNameUnderTwoParents() throws {
        let (y2024, y2025, q1of2024, q1of2025, topQ1) = try fixture.write { ns in
            let y2024 = try ns.createLabel(NewLabel(name: "2024"))
            let y2025 = try ns.createLabel(NewLabel(name: "2025"))
            let a = try ns.createLabel(NewLabel(name: "Q1", parent: y2024.id))
            let b = try ns.createLabel(NewLabel(name: "Q1", parent: y2025.id))
            let top = try ns.createLabel(NewLabel(name: "Q1"))
            return (y2024.id, y2025.id, a, b, top)
        }
        #expect(q1of2024.name == "Q1" && q1of2024.path == "2024/Q1")
        #expect(q1of2025.path == "2025/Q1" && topQ1.path == "Q1")
        #expect(throws: LabelIndexError.labelAlreadyExists("2025/Q1")) {
            try fixture.write { try $0.createLabel(NewLabel(name: "Q1", parent: y2025)) }
        }
        try fixture.read { (ns) throws in
            #expect(try ns.labelID(named: "2024/Q1") == q1of2024.id)
            #expect(try ns.labelID(named: "2025/Q1") == q1of2025.id)
            #expect(try ns.labelID(named: "Q1") == topQ1.id)
            #expect(try ns.labelIDs(withPrefix: "2025/") == [q1of2025.id])
            #expect(try ns.children(of: y2024).map(\.path) == ["2024/Q1"])
        }
        // Assets carry the paths, so a flat client that reads a label back names the same one.
        try fixture.write { ns in
            _ = try ns.upsertAsset(.id(1))
            _ = try ns.link([.id(1)], to: q1of2025.id)
            try ns.apply(.append([LabelAssignment("2024/Q1")]), to: .id(1))
        }
        #expect(try fixture.read { try $0.asset(.id(1))?.labels.map(\.name) } == ["2025/Q1", "2024/Q1"])
        #expect(try fixture.verify().isClean)
    }

    /// A name that is no path names the only label that has it (how schema 1 named labels below
    /// the root), and no label while several have it.
    @Test func aNameAloneNamesTheOnlyLabelWithIt() throws {
        let (a, first, second) = try fixture.write { ns in
            let a = try ns.createLabel(NewLabel(name: "a"))
            let b = try ns.createLabel(NewLabel(name: "b"))
            let first = try ns.createLabel(NewLabel(name: "x", parent: a.id))
            return (a.id, first.id, try ns.createLabel(NewLabel(name: "x", parent: b.id)).id)
        }
        try fixture.read { (ns) throws in
            #expect(try ns.labelID(named: "x") == nil)
            #expect(try ns.labelIDs(withName: "x") == [first, second])
            #expect(try ns.labelIDs(withPrefix: "x") == [first, second])
            #expect(try ns.labelIDs(withPrefix: "a") == [a, first])
            #expect(try ns.labelIDs(withPrefix: "a/") == [first])
        }
        try fixture.write { _ = try $0.deleteLabel(second) }
        #expect(try fixture.read { try $0.labelID(named: "x") } == first)
        // Adding a name to an asset finds it the same way; a top-level twin then takes the name.
        try fixture.write { ns in
            _ = try ns.upsertAsset(.id(1))
            try ns.apply(.append([LabelAssignment("x")]), to: .id(1))
            _ = try ns.createLabel(NewLabel(name: "x"))
        }
        try fixture.read { (ns) throws in
            #expect(try ns.asset(.id(1))?.labels.map(\.id) == [first])
            #expect(try ns.labelID(named: "x") != first)
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func renamingOrMovingALabelRepathsItsSubtree() throws {
        let (year, quarter, week, asset) = try fixture.write { ns in
            let year = try ns.createLabel(NewLabel(name: "2025"))
            let quarter = try ns.createLabel(NewLabel(name: "Q1", parent: year.id))
            let week = try ns.createLabel(NewLabel(name: "week/1", parent: quarter.id))
            _ = try ns.upsertAsset(.id(7))
            _ = try ns.link([.id(7)], to: week.id)
            return (year.id, quarter.id, week.id, AssetKey.id(7))
        }
        // Read once so the shared name cache holds the old path.
        #expect(try fixture.read { try $0.asset(asset)?.labels.map(\.name) } == [#"2025/Q1/week\/1"#])
        let renamed = try fixture.write { try $0.updateLabel(year, LabelUpdate(name: "FY25")) }
        #expect(renamed.path == "FY25")
        try fixture.read { (ns) throws in
            #expect(try ns.labelID(named: "2025/Q1") == nil)
            #expect(try ns.labelID(named: "FY25/Q1") == quarter)
            #expect(try ns.labelID(named: #"FY25/Q1/week\/1"#) == week)
            #expect(try ns.asset(asset)?.labels.map(\.name) == [#"FY25/Q1/week\/1"#])
        }
        let moved = try fixture.write { try $0.updateLabel(quarter, LabelUpdate(parent: .root)) }
        #expect(moved.path == "Q1" && moved.parent == nil)
        #expect(try fixture.read { try $0.label(week)?.path } == #"Q1/week\/1"#)
        #expect(try fixture.verify().isClean)
    }

    @Test func aChangeOntoATakenPathChangesNothing() throws {
        let (a, b, other) = try fixture.write { ns in
            let a = try ns.createLabel(NewLabel(name: "a"))
            let b = try ns.createLabel(NewLabel(name: "b", parent: a.id))
            _ = try ns.createLabel(NewLabel(name: "c", parent: b.id))
            let other = try ns.createLabel(NewLabel(name: "x"))
            _ = try ns.createLabel(NewLabel(name: "x/b/c"))
            return (a.id, b.id, other.id)
        }
        // Renaming `a` to `x` would give `c` the path `x/b/c`, which a top-level label holds.
        #expect(throws: LabelIndexError.labelAlreadyExists("x")) {
            try fixture.write { try $0.updateLabel(a, LabelUpdate(name: "x")) }
        }
        #expect(throws: LabelIndexError.labelAlreadyExists("x/b/c")) {
            try fixture.write { try $0.updateLabel(b, LabelUpdate(parent: .label(other))) }
        }
        // A top-level name that is another label's path is taken as well.
        #expect(throws: LabelIndexError.labelAlreadyExists("a/b")) {
            try fixture.write { try $0.createLabel(NewLabel(name: "a/b")) }
        }
        try fixture.read { (ns) throws in
            #expect(try ns.label(b)?.path == "a/b")
            #expect(try ns.labelID(named: "a/b/c") != nil)
        }
        // A subtree may take paths it held itself: rename `a` to `a/b`, whose old holder is `b`.
        try fixture.write { try $0.updateLabel(a, LabelUpdate(name: "a/b")) }
        try fixture.read { (ns) throws in
            #expect(try ns.labelID(named: "a/b") == a)
            #expect(try ns.labelID(named: "a/b/b") == b)
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func deletingASubtreeFreesItsPaths() throws {
        let year = try fixture.write { ns in
            let year = try ns.createLabel(NewLabel(name: "2025"))
            _ = try ns.createLabel(NewLabel(name: "Q1", parent: year.id))
            return year.id
        }
        try fixture.write { _ = try $0.deleteLabel(year) }
        #expect(try fixture.read { try $0.labelID(named: "2025/Q1") } == .some(nil))
        try fixture.write { ns in
            let again = try ns.createLabel(NewLabel(name: "2025"))
            _ = try ns.createLabel(NewLabel(name: "Q1", parent: again.id))
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func pathsHaveALimit() throws {
        let name = String(repeating: "n", count: 200)
        let error = try fixture.write { ns -> LabelIndexError? in
            let top = try ns.createLabel(NewLabel(name: name))
            let middle = try ns.createLabel(NewLabel(name: name, parent: top.id))
            do {
                _ = try ns.createLabel(NewLabel(name: name, parent: middle.id))
                return nil
            } catch let error as LabelIndexError { return error }
        }
        #expect(error == .labelPathTooLong([name, name, name].joined(separator: "/"), bytes: 602, limit: 480))
        // A path longer than one name's limit still names its label, to add or to remove.
        let path = name + "/" + name
        try fixture.write { ns in
            _ = try ns.upsertAsset(.id(1))
            try ns.apply(.append([LabelAssignment(path)]), to: .id(1))
        }
        #expect(try fixture.read { try $0.asset(.id(1))?.labels.map(\.name) } == [path])
        try fixture.write { try $0.apply(.remove([path]), to: .id(1)) }
        #expect(try fixture.read { try $0.asset(.id(1))?.labels } == [])
    }

    /// Random creates, renames, moves and deletes over a small alphabet (with `/` and `\`), checked
    /// against a model of the tree after every step: the same changes succeed, every label is
    /// found by its path, and `verify()` stays clean.
    @Test(arguments: [1, 2, 3, 4]) func randomChangesKeepEveryPathUnique(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        typealias Tree = [LabelID: (name: String, parent: LabelID?)]
        var model: Tree = [:]
        let names = ["a", "b", "a/b", #"a\b"#, "b/a"]
        func path(_ id: LabelID, in tree: Tree) -> String {
            let entry = tree[id]!
            return LabelPath.path(of: entry.name, under: entry.parent.map { path($0, in: tree) })
        }
        func path(_ id: LabelID) -> String { path(id, in: model) }
        func pathsAreUnique(_ tree: Tree) -> Bool { Set(tree.keys.map { path($0, in: tree) }).count == tree.count }
        func subtree(_ id: LabelID) -> [LabelID] {
            [id] + model.filter { $0.value.parent == id }.keys.sorted().flatMap(subtree)
        }
        func depth(_ id: LabelID?) -> Int { id.map { 1 + depth(model[$0]!.parent) } ?? 0 }
        func height(_ id: LabelID) -> Int { 1 + (model.filter { $0.value.parent == id }.keys.map(height).max() ?? 0) }
        for _ in 0..<300 {
            let ids = model.keys.sorted()
            let pick = ids.isEmpty ? nil : ids[Int(random.next() % UInt64(ids.count))]
            let name = names[Int(random.next() % UInt64(names.count))]
            let parent = random.next() % 3 == 0 ? nil : pick
            var changed = model
            switch (random.next() % 4, pick) {
            case (0, _), (_, nil):
                changed[LabelID(.max)] = (name, parent)
                let expected = pathsAreUnique(changed) && depth(parent) < 32
                let created = try? fixture.write { try $0.createLabel(NewLabel(name: name, parent: parent)) }
                #expect((created != nil) == expected)
                if let created { model[created.id] = (name, parent) }
            case (1, let label?):
                changed[label]!.name = name
                let renamed = try? fixture.write { try $0.updateLabel(label, LabelUpdate(name: name)) }
                #expect((renamed != nil) == pathsAreUnique(changed))
                if renamed != nil { model = changed }
            case (2, let label?):
                if let parent, subtree(label).contains(parent) {
                    #expect(throws: LabelIndexError.self) {
                        try fixture.write { try $0.updateLabel(label, LabelUpdate(parent: .label(parent))) }
                    }
                    continue
                }
                changed[label]!.parent = parent
                let expected = pathsAreUnique(changed) && depth(parent) + height(label) <= 32
                let moved = try? fixture.write {
                    try $0.updateLabel(label, LabelUpdate(parent: parent.map { .label($0) } ?? .root))
                }
                #expect((moved != nil) == expected)
                if moved != nil { model = changed }
            case (_, let label?):
                let doomed = subtree(label)
                #expect(try fixture.write { try $0.deleteLabel(label) }.sorted() == doomed.sorted())
                for id in doomed { model[id] = nil }
            }
            try fixture.read { (ns) throws in
                for id in model.keys { #expect(try ns.labelID(named: path(id)) == id) }
                #expect(try ns.labels().count == model.count)
            }
        }
        #expect(try fixture.verify().isClean)
    }

    /// A store written with schema 1 (names unique in the namespace, indexed by name) is
    /// converted when opened: labels below the root get their paths, and a label whose path a
    /// top-level name already holds is renamed with its id.
    @Test func aSchemaOneStoreIsConvertedOnOpen() throws {
        let (ops, helpdesk, tier, clash) = try fixture.write { ns in
            let ops = try ns.createLabel(NewLabel(name: "ops"))
            let helpdesk = try ns.createLabel(NewLabel(name: "helpdesk", parent: ops.id))
            let tier = try ns.createLabel(NewLabel(name: "tier/1", parent: helpdesk.id))
            let clash = try ns.createLabel(NewLabel(name: "ops/helpdesk2"))
            _ = try ns.upsertAsset(.id(1))
            _ = try ns.link([.id(1)], to: tier.id)
            return (ops.id, helpdesk.id, tier.id, clash.id)
        }
        // Schema 1 allowed `helpdesk2` under `ops` beside the top-level `ops/helpdesk2`.
        let helpdesk2 = try fixture.write { try $0.createLabel(NewLabel(name: "helpdesk3", parent: ops)).id }
        try fixture.store.write { writer in
            let ns = try writer.namespace(.default)
            let txn = ns.writeTransaction
            let schema = ns.schema
            for (label, path, name) in [
                (helpdesk, "ops/helpdesk", "helpdesk"), (tier, #"ops/helpdesk/tier\/1"#, "tier/1"),
                (helpdesk2, "ops/helpdesk3", "helpdesk2"),
            ] {
                _ = try txn.delete(from: schema.labelNames, key: Keys.labelName(ns.id, path))
                var value = ByteWriter()
                value.appendBigEndian(label.rawValue)
                try txn.put(value.bytes, in: schema.labelNames, forKey: Keys.labelName(ns.id, name))
            }
            let key = Keys.pair(ns.id, helpdesk2.rawValue)
            var record = try key.withUnsafeBytes { key in
                try #require(try txn.withValue(in: schema.labels, forKey: key) { try LabelRecord(decoding: $0) })
            }
            record.name = "helpdesk2"
            try key.withUnsafeBytes { key in
                try record.encoded().withUnsafeBytes { try txn.put($0, in: schema.labels, forKey: key) }
            }
            try txn.removeAll(from: schema.labelsByName)
            var version = ByteWriter()
            version.appendLittleEndian(UInt32(1))
            try txn.put(version.bytes, in: schema.meta, forKey: Schema.versionKey)
        }
        try fixture.reopen()
        try fixture.read { (ns) throws in
            #expect(try ns.labelID(named: "ops/helpdesk") == helpdesk)
            #expect(try ns.labelID(named: #"ops/helpdesk/tier\/1"#) == tier)
            // A name only one label has still names it, as it did in schema 1.
            #expect(try ns.labelID(named: "helpdesk") == helpdesk)
            #expect(try ns.labelID(named: "ops/helpdesk2") == clash)
            #expect(try ns.label(helpdesk2)?.name == "helpdesk2 (\(helpdesk2))")
            #expect(try ns.asset(.id(1))?.labels.map(\.name) == [#"ops/helpdesk/tier\/1"#])
        }
        let report = try fixture.verify()
        #expect(report.isClean, "\(report.inconsistencies)")
        let version = try fixture.store.read { snapshot in
            try snapshot.transaction.value(in: fixture.store.schema.meta, forKey: Schema.versionKey)
        }
        #expect(version == [2, 0, 0, 0])
    }
}
