import Foundation
import LMDB
import LabelTestSupport
import Roaring
import Testing

@testable import LabelIndex

/// `verify()` finds each kind of damage: every test corrupts one index of a healthy store with
/// raw LMDB writes and expects the matching inconsistency (and nothing on the healthy store).
@Suite struct VerificationTests {
    let fixture: TemporaryStore
    let labels: (ops: LabelID, helpdesk: LabelID, prod: LabelID)

    init() throws {
        fixture = try TemporaryStore()
        labels = try fixture.write { ns in
            let ops = try ns.createLabel(NewLabel(name: "ops"))
            let helpdesk = try ns.createLabel(NewLabel(name: "helpdesk", parent: ops.id))
            let prod = try ns.createLabel(NewLabel(name: "prod"))
            let ids = Array(Int64(1)...20)
            for id in ids { _ = try ns.upsertAsset(.id(id)) }
            // Ordinals follow creation: even ids sit at the odd ordinals 1, 3, 5, ...
            _ = try ns.link(ids.filter { $0.isMultiple(of: 2) }.map { .id($0) }, to: prod.id)
            _ = try ns.link(ids.filter { !$0.isMultiple(of: 2) }.map { .id($0) }, to: ops.id)
            return (ops.id, helpdesk.id, prod.id)
        }
        #expect(try fixture.verify().isClean)
    }

    /// Applies `damage` to the raw databases of the default namespace in its own transaction.
    func corrupt(_ damage: (WriteTransaction, Schema, UInt32) throws -> Void) throws {
        try fixture.write { ns in try damage(ns.writeTransaction, ns.schema, ns.id) }
    }

    func kinds() throws -> [Inconsistency.Kind: [String]] {
        let report = try fixture.verify()
        return Dictionary(grouping: report.inconsistencies, by: \.kind).mapValues { $0.map(\.detail) }
    }

    @Test func aTopLevelLabelMissingFromTheRootsChildren() throws {
        try corrupt { txn, schema, ns in
            let deleted = try Keys.pair(ns, 0).withUnsafeBytes { key in
                try withUnsafeBytes(of: labels.prod.rawValue) { value in
                    try txn.delete(from: schema.children, key: key, value: value)
                }
            }
            #expect(deleted)
        }
        #expect(try kinds() == [.hierarchy: ["label \(labels.prod) is missing from the children of 0"]])
    }

    @Test func aChildListedUnderTheWrongParent() throws {
        try corrupt { txn, schema, ns in
            try Keys.pair(ns, labels.prod.rawValue).withUnsafeBytes { key in
                try withUnsafeBytes(of: labels.helpdesk.rawValue) { value in
                    try txn.put(value, in: schema.children, forKey: key)
                }
            }
        }
        #expect(
            try kinds() == [
                .hierarchy: ["children of \(labels.prod) list \(labels.helpdesk), whose parent is not \(labels.prod)"]
            ])
    }

    @Test func aParentCycle() throws {
        try corrupt { txn, schema, ns in
            let key = Keys.pair(ns, labels.ops.rawValue)
            var record = try key.withUnsafeBytes { key in
                try #require(try txn.withValue(in: schema.labels, forKey: key) { try LabelRecord(decoding: $0) })
            }
            record.parent = labels.helpdesk.rawValue
            try key.withUnsafeBytes { key in
                try record.encoded().withUnsafeBytes { try txn.put($0, in: schema.labels, forKey: key) }
            }
        }
        let hierarchy = try #require(try kinds()[.hierarchy])
        #expect(hierarchy.contains("label \(labels.ops) is deeper than 32 levels or in a cycle"))
        #expect(hierarchy.contains("label \(labels.ops) is missing from the children of \(labels.helpdesk)"))
        #expect(hierarchy.contains("children of 0 list \(labels.ops), whose parent is not 0"))
    }

    @Test func aLabelMissingFromThePathIndex() throws {
        try corrupt { txn, schema, ns in
            let deleted = try txn.delete(from: schema.labelNames, key: Keys.labelName(ns, "ops/helpdesk"))
            #expect(deleted)
        }
        #expect(
            try kinds() == [
                .nameIndex: ["label \(labels.helpdesk) with the path \"ops/helpdesk\" is not found under that path"]
            ])
    }

    @Test func aPathThatPointsToAnotherLabel() throws {
        try corrupt { txn, schema, ns in
            let value = withUnsafeBytes(of: labels.ops.rawValue.bigEndian) { Array($0) }
            try txn.put(value, in: schema.labelNames, forKey: Keys.labelName(ns, "ghost"))
        }
        #expect(
            try kinds() == [.nameIndex: ["path \"ghost\" points to label \(labels.ops), which has another path"]])
    }

    @Test func aLabelMissingFromTheNameIndex() throws {
        try corrupt { txn, schema, ns in
            let deleted = try withUnsafeBytes(of: labels.helpdesk.rawValue) { value in
                try Keys.labelName(ns, "helpdesk").withUnsafeBytes {
                    try txn.delete(from: schema.labelsByName, key: $0, value: value)
                }
            }
            #expect(deleted)
        }
        #expect(
            try kinds() == [.nameIndex: ["label \(labels.helpdesk) named \"helpdesk\" is not listed under its name"]])
    }

    @Test func aNameThatListsAnotherLabel() throws {
        try corrupt { txn, schema, ns in
            try withUnsafeBytes(of: labels.ops.rawValue) { value in
                try Keys.labelName(ns, "ghost").withUnsafeBytes {
                    try txn.put(value, in: schema.labelsByName, forKey: $0)
                }
            }
        }
        #expect(try kinds() == [.nameIndex: ["the name \"ghost\" lists label \(labels.ops), which is not named so"]])
    }

    @Test func anUndecodableLabelRecord() throws {
        try corrupt { txn, schema, ns in
            try Keys.pair(ns, labels.prod.rawValue).withUnsafeBytes { key in
                try [UInt8]([99, 0]).withUnsafeBytes { try txn.put($0, in: schema.labels, forKey: key) }
            }
        }
        #expect(try kinds()[.undecodable]?.count == 1)
    }

    @Test func aMissingPostingsChunkAndAWrongCount() throws {
        try corrupt { txn, schema, ns in
            let deleted = try Keys.chunk(ns, labels.prod.rawValue, 0).withUnsafeBytes { key in
                try txn.delete(from: schema.postings, key: key)
            }
            #expect(deleted)
        }
        let found = try kinds()
        #expect(
            found[.postings] == [
                "label \(labels.prod) (prod): 10 assets missing from the postings (e.g. [1, 3, 5]), 0 extra (e.g. [])"
            ])
        #expect(found[.counts] == nil)

        try corrupt { txn, schema, ns in
            try Counts.store(
                Counts.State(count: 3, version: 1), namespace: ns, list: labels.ops.rawValue, in: txn, schema: schema)
        }
        #expect(try kinds()[.counts] == ["label \(labels.ops) (ops) has count 3 but 10 members"])
    }

    @Test func anExtraPostingsMemberAndALabelRecordGone() throws {
        // Ordinal 0 (id 1, odd) does not carry prod; write it into prod's chunk.
        try corrupt { txn, schema, ns in
            var bitmap = RoaringBitmap(Array(stride(from: UInt32(1), to: 20, by: 2)))
            bitmap.insert(0)
            var bytes = [UInt8](repeating: 0, count: PostingsChunk.encodedSize(of: bitmap))
            bytes.withUnsafeMutableBytes { PostingsChunk.encode(bitmap, version: 1, into: $0) }
            try Keys.chunk(ns, labels.prod.rawValue, 0).withUnsafeBytes { key in
                try bytes.withUnsafeBytes { try txn.put($0, in: schema.postings, forKey: key) }
            }
        }
        #expect(
            try kinds()[.postings] == [
                "label \(labels.prod) (prod): 0 assets missing from the postings (e.g. []), 1 extra (e.g. [0])"
            ])
        try corrupt { txn, schema, ns in
            let deleted = try Keys.pair(ns, labels.ops.rawValue).withUnsafeBytes { key in
                try txn.delete(from: schema.labels, key: key)
            }
            #expect(deleted)
        }
        #expect(try kinds()[.assetRecord] == ["10 assets carry missing label \(labels.ops) (e.g. asset 1)"])
    }

    @Test func aKeyIndexEntryForAnotherAsset() throws {
        try corrupt { txn, schema, ns in
            let key = Keys.typedAsset(ns, type: "ghost", id: "1")
            let value = withUnsafeBytes(of: UInt32(0).bigEndian) { Array($0) }
            try txn.put(value, in: schema.typedKeys, forKey: key)
        }
        #expect(
            try kinds()[.keyIndex] == [
                "key ghost:1 maps to ordinal 0, whose asset has another key", "21 keys for 20 assets",
            ])
    }

    /// The hierarchy check reads each index once: 20,000 top-level labels (the shape labels
    /// appended over HTTP take) took seconds when each label re-read all children of the root.
    @Test(.timeLimit(.minutes(1))) func manyTopLevelLabelsAreCheckedAndCounted() throws {
        let many = try TemporaryStore()
        try many.write { ns in
            for index in 0..<20_000 { _ = try ns.createLabel(NewLabel(name: "label-\(index)")) }
        }
        let report = try many.verify()
        #expect(report.isClean && report.labelsChecked == 20_000, "\(report)")
    }
}
