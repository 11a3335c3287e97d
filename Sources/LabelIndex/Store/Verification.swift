import LMDB
import Roaring

/// The result of `Snapshot.verify()`: every inconsistency found between the indexes.
public struct VerificationReport: Sendable, CustomStringConvertible {
    public var inconsistencies: [Inconsistency] = []
    /// True when more inconsistencies existed than were recorded.
    public var truncated = false
    public var namespacesChecked = 0
    public var assetsChecked = 0
    public var labelsChecked = 0
    public var chunksChecked = 0

    public var isClean: Bool { inconsistencies.isEmpty }

    static let maximumRecorded = 1000

    mutating func report(_ namespace: Namespace, _ kind: Inconsistency.Kind, _ detail: String) {
        guard inconsistencies.count < Self.maximumRecorded else {
            truncated = true
            return
        }
        inconsistencies.append(Inconsistency(namespace: namespace, kind: kind, detail: detail))
    }

    public var description: String {
        let summary =
            "checked \(namespacesChecked) namespaces, \(assetsChecked) assets, \(labelsChecked) labels, \(chunksChecked) postings chunks"
        if isClean { return "\(summary): consistent" }
        let lines = inconsistencies.map { "  \($0)" }.joined(separator: "\n")
        return "\(summary): \(inconsistencies.count)\(truncated ? "+" : "") inconsistencies\n\(lines)"
    }
}

/// One disagreement between two indexes, or a value that does not decode.
public struct Inconsistency: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case undecodable
        case keyIndex
        case assetRecord
        case postings
        case counts
        case labelRecord
        case nameIndex
        case hierarchy
        case totals
    }

    public var namespace: Namespace
    public var kind: Kind
    public var detail: String

    public var description: String { "[\(namespace)] \(kind.rawValue): \(detail)" }
}

extension Snapshot {
    /// Cross-checks every index against the others and reports each inconsistency precisely:
    /// key ↔ record, record labels ↔ postings, postings ↔ counts, universe and labelled sets,
    /// names ↔ labels, parents ↔ children, hierarchy depth and cycles, namespace totals.
    /// Reads everything once; for a large store this takes a while and holds a snapshot.
    public func verify() throws -> VerificationReport {
        var report = VerificationReport()
        for namespace in try namespaces() {
            guard let reader = try self.namespace(namespace) else { continue }
            var verifier = NamespaceVerifier(reader: reader, report: report)
            try verifier.run()
            report = verifier.report
            report.namespacesChecked += 1
        }
        return report
    }
}

private struct NamespaceVerifier {
    let reader: NamespaceReader
    var report: VerificationReport
    var expected: [UInt32: RoaringBitmap] = [:]
    var labelRecords: [UInt32: LabelRecord] = [:]
    var assets = 0
    var pairs = 0
    var storedCounts: [UInt32: Int] = [:]

    init(reader: NamespaceReader, report: VerificationReport) {
        self.reader = reader
        self.report = report
    }

    var namespace: Namespace { reader.namespace }
    var txn: Transaction { reader.transaction }
    var schema: Schema { reader.schema }
    var nsID: UInt32 { reader.id }

    mutating func flag(_ kind: Inconsistency.Kind, _ detail: String) { report.report(namespace, kind, detail) }

    mutating func run() throws {
        try checkLabels()
        try checkRecords()
        try checkKeyIndexes()
        try checkPostings()
        try checkCounts()
        checkTotals()
    }

    /// Visits every entry whose key starts with this namespace's id.
    func forEachEntry(
        in database: Database, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
    )
        throws
    {
        try txn.withCursor(on: database) { cursor in
            try Keys.namespace(nsID).withUnsafeBytes { prefix in
                var op = CursorOperation.setRange(prefix)
                while try cursor.get(
                    op,
                    { key, value -> Bool in
                        guard key.starts(with: prefix) else { return false }
                        try body(key, value)
                        return true
                    }) == true
                {
                    op = .next
                }
            }
        }
    }

    /// Reads the labels, the name index and the children index once each, then cross-checks
    /// them in memory: looking each label up in the other two indexes instead would read all
    /// children of the root for every top-level label (quadratic in the number of labels).
    mutating func checkLabels() throws {
        var decoded: [UInt32: LabelRecord] = [:]
        var problems: [(Inconsistency.Kind, String)] = []
        try forEachEntry(in: schema.labels) { key, value in
            let labelID = key.count == 8 ? Keys.readBigEndianUInt32(key, at: 4) : 0
            do { decoded[labelID] = try LabelRecord(decoding: value) } catch {
                problems.append((.undecodable, "label \(labelID): \(error)"))
            }
        }
        labelRecords = decoded
        report.labelsChecked += decoded.count
        for (kind, detail) in problems { flag(kind, detail) }

        // Keyed by the stored bytes, not `String`: two names that differ only in Unicode
        // normalisation are different keys in the index.
        var names: [(name: [UInt8], labelID: UInt32)] = []
        try forEachEntry(in: schema.labelNames) { key, value in
            names.append((Array(key[4...]), value.count == 4 ? Keys.readBigEndianUInt32(value) : 0))
        }
        let labelIDByName = Dictionary(names.map { ($0.name, $0.labelID) }, uniquingKeysWith: { first, _ in first })
        var children: [(parent: UInt32, child: UInt32)] = []
        try forEachEntry(in: schema.children) { key, value in
            children.append((Keys.readBigEndianUInt32(key, at: 4), value.loadUnaligned(as: UInt32.self)))
        }
        let childLinks = Set(children.map { UInt64($0.parent) << 32 | UInt64($0.child) })

        for (labelID, label) in decoded.sorted(by: { $0.key < $1.key }) {
            if labelID >= reader.record.nextLabelID {
                flag(.labelRecord, "label \(labelID) is not below the next label id \(reader.record.nextLabelID)")
            }
            if labelIDByName[Array(label.name.utf8)] != labelID {
                flag(.nameIndex, "label \(labelID) named \"\(label.name)\" is not found under that name")
            }
            if let parent = label.parent, decoded[parent] == nil {
                flag(.hierarchy, "label \(labelID) has missing parent \(parent)")
            }
            if !childLinks.contains(UInt64(label.parent ?? 0) << 32 | UInt64(labelID)) {
                flag(.hierarchy, "label \(labelID) is missing from the children of \(label.parent ?? 0)")
            }
            var depth = 1
            var current = label.parent
            while let parent = current, depth <= reader.store.options.maxHierarchyDepth + 1 {
                depth += 1
                current = decoded[parent]?.parent
            }
            if depth > reader.store.options.maxHierarchyDepth {
                flag(
                    .hierarchy,
                    "label \(labelID) is deeper than \(reader.store.options.maxHierarchyDepth) levels or in a cycle")
            }
        }
        for (name, labelID) in names where decoded[labelID].map({ Array($0.name.utf8) != name }) ?? true {
            flag(
                .nameIndex,
                "name \"\(String(decoding: name, as: UTF8.self))\" points to label \(labelID), which is not named so")
        }
        for (parent, child) in children where decoded[child].map({ ($0.parent ?? 0) != parent }) ?? true {
            flag(.hierarchy, "children of \(parent) list \(child), whose parent is not \(parent)")
        }
    }

    mutating func checkRecords() throws {
        var records: [(UInt32, Result<AssetRecord, LabelIndexError>)] = []
        var problems: [String] = []
        try forEachEntry(in: schema.records) { key, value in
            let index = key.count == 8 ? Keys.readBigEndianUInt32(key, at: 4) : 0
            do {
                try RecordGroup.forEach(in: value) { slot, record in
                    records.append(
                        (
                            RecordGroup.ordinal(group: index, slot: slot),
                            Result { () throws(LabelIndexError) in
                                try AssetRecord(decoding: record, epoch: reader.record.createdAt)
                            }
                        ))
                }
            } catch {
                problems.append("record group \(index): \(error)")
            }
        }
        for problem in problems { flag(.undecodable, problem) }
        var metadataOrdinals = Set<UInt32>()
        try forEachEntry(in: schema.metadata) { key, _ in
            if key.count == 8 { metadataOrdinals.insert(Keys.readBigEndianUInt32(key, at: 4)) }
        }
        var universe = RoaringBitmap()
        var labelled = RoaringBitmap()
        for (ordinal, decoded) in records {
            guard case .success(let record) = decoded else {
                if case .failure(let error) = decoded { flag(.undecodable, "asset record \(ordinal): \(error)") }
                continue
            }
            assets += 1
            universe.insert(ordinal)
            if (record.metadata != nil) != metadataOrdinals.contains(ordinal) {
                flag(.assetRecord, "asset \(record.key) and the metadata database disagree on whether it has metadata")
            }
            metadataOrdinals.remove(ordinal)
            if !record.labels.isEmpty { labelled.insert(ordinal) }
            pairs += record.labels.count
            if try reader.lookupOrdinal(record.key) != ordinal {
                flag(.keyIndex, "asset \(record.key) at ordinal \(ordinal) is not found by its key")
            }
            if UInt64(ordinal) >= Swift.max(reader.record.nextOrdinal, reader.store.options.ordinalCapacity) {
                flag(.assetRecord, "asset at ordinal \(ordinal) is beyond the ordinals handed out")
            }
            var seen = Set<UInt32>()
            for label in record.labels {
                if !seen.insert(label.id).inserted {
                    flag(.assetRecord, "asset \(record.key) carries label \(label.id) twice")
                }
                if labelRecords[label.id] == nil {
                    flag(.assetRecord, "asset \(record.key) carries missing label \(label.id)")
                }
                expected[label.id, default: RoaringBitmap()].insert(ordinal)
            }
        }
        for ordinal in metadataOrdinals.sorted() {
            flag(.assetRecord, "metadata stored for ordinal \(ordinal), which has no asset")
        }
        report.assetsChecked += assets
        expected[PostingList.universe.rawValue] = universe
        expected[PostingList.labelled.rawValue] = labelled
    }

    mutating func checkKeyIndexes() throws {
        var intEntries: [(Int64, UInt32)] = []
        try forEachEntry(in: schema.intKeys) { _, value in
            if value.count == Keys.intAssetEntrySize { intEntries.append(Keys.decodeIntAssetEntry(value)) }
        }
        for (assetID, ordinal) in intEntries where try reader.assetRecord(ordinal)?.key != .id(assetID) {
            flag(.keyIndex, "id \(assetID) maps to ordinal \(ordinal), whose asset has another key")
        }
        var typedEntries: [([UInt8], UInt32)] = []
        try forEachEntry(in: schema.typedKeys) { key, value in
            typedEntries.append((Array(key[4...]), value.count == 4 ? Keys.readBigEndianUInt32(value) : UInt32.max))
        }
        for (suffix, ordinal) in typedEntries {
            let parts = suffix.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
            let key = AssetKey.typed(
                type: String(decoding: parts[0], as: UTF8.self),
                id: parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : "")
            if try reader.assetRecord(ordinal)?.key != key {
                flag(.keyIndex, "key \(key) maps to ordinal \(ordinal), whose asset has another key")
            }
        }
        if intEntries.count + typedEntries.count != assets {
            flag(.keyIndex, "\(intEntries.count + typedEntries.count) keys for \(assets) assets")
        }
    }

    mutating func checkPostings() throws {
        var stored: [UInt32: [UInt16: RoaringBitmap]] = [:]
        var problems: [(Inconsistency.Kind, String)] = []
        var chunks = 0
        var counts: [UInt32: Int] = [:]
        try forEachEntry(in: schema.postings) { key, value in
            if key.count == 8 {
                do { counts[Keys.readBigEndianUInt32(key, at: 4)] = try Counts.decode(value).count } catch {
                    problems.append((.undecodable, "counter of list \(Keys.readBigEndianUInt32(key, at: 4)): \(error)"))
                }
                return
            }
            chunks += 1
            guard key.count == 10 else {
                problems.append((.postings, "postings key of \(key.count) bytes"))
                return
            }
            let list = Keys.readBigEndianUInt32(key, at: 4)
            let block = Keys.readBigEndianUInt16(key, at: 8)
            do {
                let bitmap = try PostingsChunk.decode(value)
                stored[list, default: [:]][block] = bitmap
                if bitmap.isEmpty { problems.append((.postings, "list \(list) block \(block) is stored empty")) }
                let range = PostingsChunk.range(of: block)
                if let low = bitmap.min, let high = bitmap.max, low < range.lowerBound || high >= range.upperBound {
                    problems.append((.postings, "list \(list) block \(block) holds ordinals outside its block"))
                }
            } catch {
                problems.append((.undecodable, "list \(list) block \(block): \(error)"))
            }
        }
        report.chunksChecked += chunks
        storedCounts = counts
        for (kind, detail) in problems { flag(kind, detail) }
        for list in Set(stored.keys).union(expected.keys).sorted() {
            let have = RoaringBitmap.union(of: Array((stored[list] ?? [:]).values))
            let want = expected[list] ?? RoaringBitmap()
            guard have != want else { continue }
            let missing = want.subtracting(have)
            let extra = have.subtracting(want)
            flag(
                .postings,
                "\(listName(list)): \(missing.count) assets missing from the postings (e.g. \(Array(missing.values(from: 0, limit: 3)))), \(extra.count) extra (e.g. \(Array(extra.values(from: 0, limit: 3))))"
            )
        }
    }

    mutating func checkCounts() throws {
        for list in Set(storedCounts.keys).union(expected.keys) {
            let want = expected[list]?.count ?? 0
            let have = storedCounts[list] ?? 0
            if have != want { flag(.counts, "\(listName(list)) has count \(have) but \(want) members") }
        }
    }

    mutating func checkTotals() {
        let record = reader.record
        if record.assetCount != UInt64(assets) { flag(.totals, "asset total \(record.assetCount), found \(assets)") }
        if record.labelCount != UInt64(labelRecords.count) {
            flag(.totals, "label total \(record.labelCount), found \(labelRecords.count)")
        }
        if let total = try? reader.pairCount(), total != pairs { flag(.totals, "pair total \(total), found \(pairs)") }
    }

    func listName(_ list: UInt32) -> String {
        switch PostingList(rawValue: list) {
        case .universe: "universe"
        case .labelled: "labelled set"
        case .label(let id): "label \(id)" + (labelRecords[list].map { " (\($0.name))" } ?? " (no such label)")
        case nil: "list \(list)"
        }
    }
}
