import LabelIndex
import LabelTestSupport
import Testing

/// Every rejected input is a typed error and leaves the database exactly as it was.
@Suite struct BadInputTests {
    let fixture: TemporaryStore

    init() throws {
        fixture = try TemporaryStore()
        try fixture.write { ns in
            try ns.upsertAsset(.id(1))
            try ns.apply(.append(["ok"]), to: .id(1))
        }
    }

    private func expectUnchanged(_ body: () throws -> Void) throws {
        let before = try fixture.store.read { snapshot in
            try snapshot.namespace(.default).map { ns in (try ns.assets(limit: 100), try ns.labels()) }
        }
        try body()
        let after = try fixture.store.read { snapshot in
            try snapshot.namespace(.default).map { ns in (try ns.assets(limit: 100), try ns.labels()) }
        }
        #expect(before?.0 == after?.0 && before?.1 == after?.1)
        #expect(try fixture.verify().isClean)
    }

    @Test(arguments: [
        ("", LabelIndexError.NameViolation.empty),
        ("tab\there", .controlCharacter(offset: 3)),
        ("nul\u{0}", .controlCharacter(offset: 3)),
        ("é\u{85}", .controlCharacter(offset: 2)),
        (String(repeating: "x", count: 256), .tooLong(bytes: 256, limit: 255)),
        (String(repeating: "é", count: 128), .tooLong(bytes: 256, limit: 255)),
    ])
    func invalidLabelNames(name: String, violation: LabelIndexError.NameViolation) throws {
        try expectUnchanged {
            #expect(throws: LabelIndexError.invalidLabelName(name, violation)) {
                try fixture.write { ns in
                    try ns.apply(.append(["fine-before", LabelAssignment(name)]), to: .id(1))
                }
            }
        }
    }

    @Test func maximumLengthNameIsAccepted() throws {
        let name = String(repeating: "日", count: 85)  // 255 bytes
        try fixture.write { try $0.apply(.append([LabelAssignment(name)]), to: .id(1)) }
        #expect(try fixture.labelNames(.id(1)) == ["ok", name])
    }

    @Test func otherRejections() throws {
        try expectUnchanged {
            #expect(throws: LabelIndexError.labelNotFound(LabelID(999))) {
                try fixture.write { try $0.updateLabel(LabelID(999), LabelUpdate(name: "x")) }
            }
            #expect(throws: LabelIndexError.labelNotFound(LabelID(999))) {
                try fixture.write { try $0.createLabel(NewLabel(name: "child", parent: LabelID(999))) }
            }
            #expect(throws: LabelIndexError.labelNotFound(LabelID(999))) {
                try fixture.write { try $0.deleteLabel(LabelID(999)) }
            }
            #expect(throws: LabelIndexError.invalidWeight(.infinity)) {
                try fixture.write { try $0.apply(.append([LabelAssignment("w", weight: .infinity)]), to: .id(1)) }
            }
            #expect(throws: LabelIndexError.invalidAssetKey(.typed(type: "", id: "1"), .empty)) {
                try fixture.write { try $0.upsertAsset(.typed(type: "", id: "1")) }
            }
            #expect(throws: LabelIndexError.valueTooLarge(field: "asset name", bytes: 5000, limit: 4096)) {
                try fixture.write {
                    try $0.upsertAsset(.id(2), AssetAttributes(name: String(repeating: "n", count: 5000)))
                }
            }
            #expect(throws: LabelIndexError.valueTooLarge(field: "metadata", bytes: 70_000, limit: 65_536)) {
                try fixture.write {
                    try $0.upsertAsset(.id(2), AssetAttributes(metadata: Array(repeating: 32, count: 70_000)))
                }
            }
            #expect(throws: LabelIndexError.invalidNamespaceName("", .empty)) {
                try fixture.store.write { try $0.namespace("") }
            }
        }
    }
}
