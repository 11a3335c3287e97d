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
    var labelRecords: [UInt32: LabelRecord] = [:]
    var assets = 0
    var pairs = 0
    /// The decoded records' keys, by ordinal.
    var keys: [(ordinal: UInt32, key: AssetKey)] = []
    /// Every list membership the records imply (`member(list, ordinal)`), sorted.
    var expectedMembers: [UInt64] = []

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
        let paths = Self.paths(of: decoded, depthLimit: reader.store.options.maxHierarchyDepth)

        for (labelID, label) in decoded.sorted(by: { $0.key < $1.key }) {
            if labelID >= reader.record.nextLabelID {
                flag(.labelRecord, "label \(labelID) is not below the next label id \(reader.record.nextLabelID)")
            }
            if let path = paths[labelID], labelIDByName[Array(path.utf8)] != labelID {
                flag(.nameIndex, "label \(labelID) with the path \"\(path)\" is not found under that path")
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
        for (name, labelID) in names where paths[labelID].map({ Array($0.utf8) != name }) ?? true {
            flag(
                .nameIndex,
                "path \"\(String(decoding: name, as: UTF8.self))\" points to label \(labelID), which has another path")
        }
        var namesakes: [(name: [UInt8], labelID: UInt32)] = []
        try forEachEntry(in: schema.labelsByName) { key, value in
            namesakes.append((Array(key[4...]), value.count == 4 ? value.loadUnaligned(as: UInt32.self) : 0))
        }
        let listedUnderName = Set(namesakes.map(\.labelID))
        for (labelID, label) in decoded.sorted(by: { $0.key < $1.key }) where !listedUnderName.contains(labelID) {
            flag(.nameIndex, "label \(labelID) named \"\(label.name)\" is not listed under its name")
        }
        for (name, labelID) in namesakes where decoded[labelID].map({ Array($0.name.utf8) != name }) ?? true {
            flag(
                .nameIndex,
                "the name \"\(String(decoding: name, as: UTF8.self))\" lists label \(labelID), which is not named so")
        }
        for (parent, child) in children where decoded[child].map({ ($0.parent ?? 0) != parent }) ?? true {
            flag(.hierarchy, "children of \(parent) list \(child), whose parent is not \(parent)")
        }
    }

    /// Each label's path (see `LabelPath`), built from the records alone; labels in a cycle, too
    /// deep or below a missing parent have none (the hierarchy checks report them).
    static func paths(of labels: [UInt32: LabelRecord], depthLimit: Int) -> [UInt32: String] {
        var paths: [UInt32: String] = [:]
        for start in labels.keys where paths[start] == nil {
            var chain: [UInt32] = []
            var current: UInt32? = start
            while let label = current, paths[label] == nil, chain.count <= depthLimit {
                guard let record = labels[label] else { break }
                chain.append(label)
                current = record.parent
            }
            // `current` is nil (the root was reached) or a label whose path is known.
            guard chain.count <= depthLimit, current.map({ paths[$0] != nil }) ?? true else { continue }
            for label in chain.reversed() {
                let record = labels[label]!
                paths[label] = LabelPath.path(of: record.name, under: record.parent.flatMap { paths[$0] })
            }
        }
        return paths
    }

    /// Decodes every record once, in ordinal order, keeping its key and the list memberships
    /// it implies (`expectedMembers`); the key indexes and the postings are then compared with
    /// these in one sorted pass each, never by a lookup per pair.
    mutating func checkRecords() throws {
        var metadataOrdinals = Set<UInt32>()
        try forEachEntry(in: schema.metadata) { key, _ in
            if key.count == 8 { metadataOrdinals.insert(Keys.readBigEndianUInt32(key, at: 4)) }
        }
        var problems: [(Inconsistency.Kind, String)] = []
        var members: [UInt64] = []
        var keys: [(ordinal: UInt32, key: AssetKey)] = []
        var pairs = 0
        let epoch = reader.record.createdAt
        let ordinalLimit = UInt64(Swift.max(reader.record.nextOrdinal, reader.store.options.ordinalCapacity))
        try forEachEntry(in: schema.records) { key, value in
            let index = key.count == 8 ? Keys.readBigEndianUInt32(key, at: 4) : 0
            do {
                try RecordGroup.forEach(in: value) { slot, raw in
                    let ordinal = RecordGroup.ordinal(group: index, slot: slot)
                    let record: AssetRecord
                    do { record = try AssetRecord(decoding: raw, epoch: epoch) } catch {
                        problems.append((.undecodable, "asset record \(ordinal): \(error)"))
                        return
                    }
                    keys.append((ordinal, record.key))
                    members.append(Self.member(PostingList.universe.rawValue, ordinal))
                    if !record.labels.isEmpty { members.append(Self.member(PostingList.labelled.rawValue, ordinal)) }
                    for label in record.labels { members.append(Self.member(label.id, ordinal)) }
                    pairs += record.labels.count
                    if (record.metadata != nil) != metadataOrdinals.contains(ordinal) {
                        problems.append(
                            (
                                .assetRecord,
                                "asset \(record.key) and the metadata database disagree on whether it has metadata"
                            ))
                    }
                    metadataOrdinals.remove(ordinal)
                    if try reader.lookupOrdinal(record.key) != ordinal {
                        problems.append(
                            (.keyIndex, "asset \(record.key) at ordinal \(ordinal) is not found by its key"))
                    }
                    if UInt64(ordinal) >= ordinalLimit {
                        problems.append((.assetRecord, "asset at ordinal \(ordinal) is beyond the ordinals handed out"))
                    }
                }
            } catch let error as LabelIndexError {
                problems.append((.undecodable, "record group \(index): \(error)"))
            }
        }
        for (kind, detail) in problems { flag(kind, detail) }
        for ordinal in metadataOrdinals.sorted() {
            flag(.assetRecord, "metadata stored for ordinal \(ordinal), which has no asset")
        }
        if !keys.indices.dropFirst().allSatisfy({ keys[$0 - 1].ordinal < keys[$0].ordinal }) {
            keys.sort { $0.ordinal < $1.ordinal }
        }
        RadixSort.sort(&members)
        assets = keys.count
        self.pairs = pairs
        self.keys = keys
        expectedMembers = members
        report.assetsChecked += assets
        checkMemberships()
    }

    /// A membership as it sorts in the postings database: by list, then ordinal.
    static func member(_ list: UInt32, _ ordinal: UInt32) -> UInt64 { UInt64(list) << 32 | UInt64(ordinal) }

    /// The key of the asset at `ordinal`, from the decoded records.
    func key(at ordinal: UInt32) -> AssetKey? {
        let index = keys.partitionPoint(from: 0) { $0.ordinal >= ordinal }
        return index < keys.count && keys[index].ordinal == ordinal ? keys[index].key : nil
    }

    func describe(_ ordinal: UInt32) -> String {
        key(at: ordinal).map { "asset \($0)" } ?? "asset at ordinal \(ordinal)"
    }

    /// Where the run of `members[position]`'s list ends (binary search).
    static func end(ofListAt position: Int, in members: [UInt64]) -> Int {
        let list = members[position] >> 32
        return members.partitionPoint(from: position) { $0 >> 32 != list }
    }

    /// Labels carried twice by one asset, and labels carried that do not exist, from the
    /// sorted memberships (equal memberships are adjacent; each list's run is contiguous).
    mutating func checkMemberships() {
        var previous: UInt64?
        var runEnd = 0
        for (position, member) in expectedMembers.enumerated() {
            let list = UInt32(truncatingIfNeeded: member >> 32)
            let ordinal = UInt32(truncatingIfNeeded: member)
            if member == previous {
                flag(.assetRecord, "\(describe(ordinal)) carries label \(list) twice")
            }
            previous = member
            guard position >= runEnd else { continue }
            runEnd = Self.end(ofListAt: position, in: expectedMembers)
            if case .label = PostingList(rawValue: list), labelRecords[list] == nil {
                flag(
                    .assetRecord,
                    "\(runEnd - position) assets carry missing label \(list) (e.g. \(describe(ordinal)))")
            }
        }
    }

    mutating func checkKeyIndexes() throws {
        var intEntries: [(Int64, UInt32)] = []
        try forEachEntry(in: schema.intKeys) { _, value in
            if value.count == Keys.intAssetEntrySize { intEntries.append(Keys.decodeIntAssetEntry(value)) }
        }
        for (assetID, ordinal) in intEntries where key(at: ordinal) != .id(assetID) {
            flag(.keyIndex, "id \(assetID) maps to ordinal \(ordinal), whose asset has another key")
        }
        var typedEntries: [([UInt8], UInt32)] = []
        try forEachEntry(in: schema.typedKeys) { key, value in
            typedEntries.append((Array(key[4...]), value.count == 4 ? Keys.readBigEndianUInt32(value) : UInt32.max))
        }
        for (suffix, ordinal) in typedEntries {
            let parts = suffix.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
            let assetKey = AssetKey.typed(
                type: String(decoding: parts[0], as: UTF8.self),
                id: parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : "")
            if key(at: ordinal) != assetKey {
                flag(.keyIndex, "key \(assetKey) maps to ordinal \(ordinal), whose asset has another key")
            }
        }
        if intEntries.count + typedEntries.count != assets {
            flag(.keyIndex, "\(intEntries.count + typedEntries.count) keys for \(assets) assets")
        }
    }

    /// Streams the postings database in key order (each list's counter, then its chunks by
    /// block) beside the sorted expected memberships, and reports per list the members missing
    /// or extra and a counter that disagrees with the members.
    mutating func checkPostings() throws {
        var problems: [(Inconsistency.Kind, String)] = []
        var comparison = ListComparison(expected: expectedMembers)
        var values: [UInt32] = []
        var chunks = 0
        try forEachEntry(in: schema.postings) { key, value in
            guard key.count == 8 || key.count == 10 else {
                chunks += 1
                problems.append((.postings, "postings key of \(key.count) bytes"))
                return
            }
            let list = Keys.readBigEndianUInt32(key, at: 4)
            comparison.advance(to: list)
            if key.count == 8 {
                do { comparison.storedCount = try Counts.decode(value).count } catch {
                    problems.append((.undecodable, "counter of list \(list): \(error)"))
                }
                return
            }
            chunks += 1
            let block = Keys.readBigEndianUInt16(key, at: 8)
            let bitmap: RoaringBitmap
            do { bitmap = try PostingsChunk.decode(value) } catch {
                problems.append((.undecodable, "list \(list) block \(block): \(error)"))
                return
            }
            if bitmap.isEmpty { problems.append((.postings, "list \(list) block \(block) is stored empty")) }
            let range = PostingsChunk.range(of: block)
            values.removeAll(keepingCapacity: true)
            bitmap.appendValues(from: 0, limit: bitmap.count, to: &values)
            if let low = values.first, let high = values.last, low < range.lowerBound || high >= range.upperBound {
                problems.append((.postings, "list \(list) block \(block) holds ordinals outside its block"))
            }
            comparison.compare(stored: values)
        }
        comparison.advance(to: nil)
        report.chunksChecked += chunks
        for (kind, detail) in problems { flag(kind, detail) }
        for outcome in comparison.outcomes {
            if outcome.missing.count > 0 || outcome.extra.count > 0 {
                flag(
                    .postings,
                    "\(listName(outcome.list)): \(outcome.missing.count) assets missing from the postings (e.g. \(outcome.missing.examples)), \(outcome.extra.count) extra (e.g. \(outcome.extra.examples))"
                )
            }
            if outcome.storedCount != outcome.expectedCount {
                flag(
                    .counts,
                    "\(listName(outcome.list)) has count \(outcome.storedCount) but \(outcome.expectedCount) members")
            }
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

/// The postings of each list against its expected members, both ascending by (list, ordinal):
/// what is missing, what is extra, and the counter beside the true count.
struct ListComparison {
    struct Tally {
        var count = 0
        var examples: [UInt32] = []

        mutating func add(_ ordinal: UInt32) {
            count += 1
            if examples.count < 3 { examples.append(ordinal) }
        }
    }

    struct Outcome {
        var list: UInt32
        var missing = Tally()
        var extra = Tally()
        var storedCount = 0
        var expectedCount = 0
    }

    let expected: [UInt64]
    private var position = 0
    private var current: Outcome?
    /// The lists with a difference, in list order.
    private(set) var outcomes: [Outcome] = []

    init(expected: [UInt64]) { self.expected = expected }

    /// The stored counter of the current list.
    var storedCount: Int {
        get { current?.storedCount ?? 0 }
        set { current?.storedCount = newValue }
    }

    /// Ends the current list (its unmatched expected members are missing) and every list
    /// before `list` that has expected members but nothing stored; `nil` ends them all.
    mutating func advance(to list: UInt32?) {
        if let current, current.list == list { return }
        if let ended = current { finishWithRemainingMissing(ended) }
        while position < expected.count, list.map({ expected[position] >> 32 < UInt64($0) }) ?? true {
            finishWithRemainingMissing(Outcome(list: UInt32(truncatingIfNeeded: expected[position] >> 32)))
        }
        current = list.map { Outcome(list: $0) }
    }

    /// Counts the list's expected members not yet matched as missing, then records it.
    private mutating func finishWithRemainingMissing(_ outcome: Outcome) {
        var outcome = outcome
        while position < expected.count, expected[position] >> 32 == UInt64(outcome.list) {
            outcome.missing.add(UInt32(truncatingIfNeeded: expected[position]))
            outcome.expectedCount += 1
            position += 1
        }
        finish(outcome)
    }

    /// Merges one stored chunk's ordinals (ascending, after every earlier chunk of the list).
    mutating func compare(stored values: [UInt32]) {
        guard var outcome = current else { return }
        let list = UInt64(outcome.list)
        for value in values {
            while position < expected.count, expected[position] >> 32 == list,
                UInt32(truncatingIfNeeded: expected[position]) < value
            {
                outcome.missing.add(UInt32(truncatingIfNeeded: expected[position]))
                outcome.expectedCount += 1
                position += 1
            }
            if position < expected.count, expected[position] == list << 32 | UInt64(value) {
                outcome.expectedCount += 1
                position += 1
            } else {
                outcome.extra.add(value)
            }
        }
        current = outcome
    }

    private mutating func finish(_ outcome: Outcome) {
        if outcome.missing.count > 0 || outcome.extra.count > 0 || outcome.storedCount != outcome.expectedCount {
            outcomes.append(outcome)
        }
    }
}

extension RandomAccessCollection where Index == Int {
    /// The first index from `start` whose element satisfies `predicate`, which must be false
    /// for every element before it and true for every element after (binary search).
    func partitionPoint(from start: Int, where predicate: (Element) -> Bool) -> Int {
        var low = start
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
