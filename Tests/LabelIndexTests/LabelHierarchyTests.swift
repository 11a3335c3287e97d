import LabelIndex
import LabelTestSupport
import Testing

@Suite struct LabelHierarchyTests {
    let fixture: TemporaryStore

    init() throws { fixture = try TemporaryStore() }

    @Test func createGetUpdateAndList() throws {
        let (ops, helpdesk) = try fixture.write { ns in
            let ops = try ns.createLabel(NewLabel(name: "IT Operations", color: LabelColor(hex: "#FFDC7B")))
            let helpdesk = try ns.createLabel(NewLabel(name: "Helpdesk", parent: ops.id))
            return (ops, helpdesk)
        }
        #expect(ops.color.hex == "#FFDC7B")
        #expect(helpdesk.parent == ops.id)
        #expect(helpdesk.color == LabelColor.default(forName: "Helpdesk"))

        let renamed = try fixture.write { ns in
            try ns.updateLabel(ops.id, LabelUpdate(name: "Workplace Operations", color: LabelColor(hex: "#23ffdd")))
        }
        #expect(renamed.name == "Workplace Operations" && renamed.color.hex == "#23FFDD")
        try fixture.read { (ns) throws in
            #expect(try ns.label(named: "IT Operations") == nil)
            #expect(try ns.label(named: "Workplace Operations")?.id == ops.id)
            let tree = try ns.labelTree()
            #expect(tree.map(\.label.name) == ["Workplace Operations"])
            #expect(tree.first?.children.map(\.label.name) == ["Helpdesk"])
            #expect(try ns.ancestors(of: helpdesk.id) == [ops.id])
            #expect(try ns.descendants(of: ops.id) == [helpdesk.id])
            #expect(try ns.children(of: nil).map(\.id) == [ops.id])
        }
    }

    @Test func namesAreUniqueAndExact() throws {
        try fixture.write { ns in
            try ns.createLabel(NewLabel(name: "prod"))
            try ns.createLabel(NewLabel(name: "Prod"))
        }
        #expect(throws: LabelIndexError.labelAlreadyExists("prod")) {
            try fixture.write { try $0.createLabel(NewLabel(name: "prod")) }
        }
        let renameOntoTaken = try fixture.read { try $0.labelID(named: "Prod") } ?? nil
        #expect(throws: LabelIndexError.labelAlreadyExists("prod")) {
            try fixture.write { try $0.updateLabel(try #require(renameOntoTaken), LabelUpdate(name: "prod")) }
        }
    }

    @Test func cyclesAreRejected() throws {
        let (a, b, c) = try fixture.write { ns in
            let a = try ns.createLabel(NewLabel(name: "a"))
            let b = try ns.createLabel(NewLabel(name: "b", parent: a.id))
            let c = try ns.createLabel(NewLabel(name: "c", parent: b.id))
            return (a.id, b.id, c.id)
        }
        #expect(throws: LabelIndexError.hierarchyCycle(label: a, parent: c)) {
            try fixture.write { try $0.updateLabel(a, LabelUpdate(parent: .label(c))) }
        }
        #expect(throws: LabelIndexError.hierarchyCycle(label: a, parent: a)) {
            try fixture.write { try $0.updateLabel(a, LabelUpdate(parent: .label(a))) }
        }
        // Moving a subtree to the root and back under a sibling works.
        try fixture.write { try $0.updateLabel(b, LabelUpdate(parent: .root)) }
        try fixture.write { try $0.updateLabel(a, LabelUpdate(parent: .label(c))) }
        #expect(try fixture.read { try $0.ancestors(of: a) } == [c, b])
        #expect(try fixture.verify().isClean)
    }

    @Test func depthIsCapped() throws {
        var options = TemporaryStore.fastOptions
        options.maxHierarchyDepth = 3
        let fixture = try TemporaryStore(options: options)
        let (top, other) = try fixture.write { ns in
            let top = try ns.createLabel(NewLabel(name: "l1"))
            let l2 = try ns.createLabel(NewLabel(name: "l2", parent: top.id))
            try ns.createLabel(NewLabel(name: "l3", parent: l2.id))
            let other = try ns.createLabel(NewLabel(name: "other"))
            try ns.createLabel(NewLabel(name: "other-child", parent: other.id))
            return (top.id, other.id)
        }
        #expect(throws: LabelIndexError.hierarchyTooDeep(limit: 3)) {
            try fixture.write { ns in
                let l3 = try #require(try ns.labelID(named: "l3"))
                try ns.createLabel(NewLabel(name: "l4", parent: l3))
            }
        }
        // other (height 2) under l2 (depth 2) would reach depth 4.
        #expect(throws: LabelIndexError.hierarchyTooDeep(limit: 3)) {
            try fixture.write { ns in
                let l2 = try #require(try ns.labelID(named: "l2"))
                try ns.updateLabel(other, LabelUpdate(parent: .label(l2)))
            }
        }
        try fixture.write { try $0.updateLabel(other, LabelUpdate(parent: .label(top))) }
        #expect(try fixture.verify().isClean)
    }

    @Test func deleteCascadesAndUnlinksButKeepsAssets() throws {
        try fixture.write { ns in
            let env = try ns.createLabel(NewLabel(name: "env"))
            let prod = try ns.createLabel(NewLabel(name: "env-prod", parent: env.id))
            try ns.createLabel(NewLabel(name: "env-prod-eu", parent: prod.id))
            try ns.createLabel(NewLabel(name: "unrelated"))
            for id in 1...3 { try ns.upsertAsset(.id(Int64(id))) }
            try ns.apply(.append(["env-prod", "unrelated"]), to: .id(1))
            try ns.apply(.append(["env-prod-eu"]), to: .id(2))
            try ns.apply(.append(["env", "env-prod-eu"]), to: .id(3))
        }
        let deleted = try fixture.write { ns in try ns.deleteLabel(try #require(try ns.labelID(named: "env"))) }
        #expect(deleted.count == 3)
        #expect(try fixture.labelNames(.id(1)) == ["unrelated"])
        #expect(try fixture.labelNames(.id(2)) == [])
        #expect(try fixture.labelNames(.id(3)) == [])
        try fixture.read { (ns) throws in
            #expect(ns.assetCount == 3)
            #expect(ns.labelCount == 1)
            #expect(try ns.pairCount() == 1)
            #expect(try ns.cardinality(of: .labelled) == 1)
            #expect(try ns.labels().map(\.name) == ["unrelated"])
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func prefixScanUsesTheNameIndex() throws {
        try fixture.write { ns in
            for name in ["team-a", "team-b", "teams", "tea", "team-c/x", "other"] {
                try ns.createLabel(NewLabel(name: name))
            }
        }
        let names = try fixture.read { try $0.labels(withPrefix: "team-").map(\.name) }
        #expect(names == ["team-a", "team-b", "team-c/x"])
    }

    @Test func linkAndUnlinkFromTheLabelSide() throws {
        let label = try fixture.write { ns in
            try ns.upsertAsset(.typed(type: "form", id: "251464995493876"))
            try ns.upsertAsset(.typed(type: "form", id: "2"))
            return try ns.createLabel(NewLabel(name: "Helpdesk")).id
        }
        let form = AssetKey.typed(type: "form", id: "251464995493876")
        #expect(try fixture.write { try $0.link([form, form], to: label) } == 1)
        #expect(try fixture.write { try $0.link([form], to: label) } == 0, "linking again is idempotent")
        #expect(try fixture.read { try $0.assets(labeled: label, limit: 10).map(\.key) } == [form])
        #expect(try fixture.write { try $0.unlink([form, .typed(type: "form", id: "nope")], from: label) } == 1)
        #expect(try fixture.read { try $0.assets(labeled: label, limit: 10) } == [])
        #expect(try fixture.read { try $0.contains(form) } == true)
        #expect(throws: LabelIndexError.assetNotFound(.typed(type: "form", id: "missing"))) {
            try fixture.write {
                try $0.link([.typed(type: "form", id: "2"), .typed(type: "form", id: "missing")], to: label)
            }
        }
        #expect(try fixture.labelNames(.typed(type: "form", id: "2")) == [], "a failed link changes nothing")
    }
}
