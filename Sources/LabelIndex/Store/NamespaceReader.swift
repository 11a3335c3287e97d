import Foundation
import LMDB
import Roaring

/// Everything stored in one namespace, read inside one transaction: from a `Snapshot`, or
/// through a `NamespaceWriter`, where it also sees the transaction's own changes.
public class NamespaceReader {
    public let namespace: Namespace
    let store: LabelStore
    let transaction: Transaction
    /// The shared caches of decoded postings; only snapshots use them (see `VersionedCache`).
    let caches: PostingsCaches?
    var record: NamespaceRecord
    /// Label names this reader resolved itself (a writer's, which may not fill the shared
    /// cache, or names missing from the shared table when this reader took it).
    @exclusivity(unchecked) var labelNameMemo: [UInt32: String] = [:]
    /// The shared names of this snapshot's label generation, taken once (one lock) and then
    /// read without locking; writers, whose names may change in the transaction, have none.
    private lazy var sharedLabelNames: LabelNameTable =
        fillsSharedCaches
        ? store.labelNames.names(namespace: id, generation: record.labelGeneration) : LabelNameTable()

    init(
        namespace: Namespace, record: NamespaceRecord, store: LabelStore, transaction: Transaction,
        caches: PostingsCaches?
    ) {
        self.namespace = namespace
        self.record = record
        self.store = store
        self.transaction = transaction
        self.caches = caches
    }

    var schema: Schema { store.schema }
    var id: UInt32 { record.id }

    // MARK: Totals

    public var assetCount: Int { Int(record.assetCount) }
    public var labelCount: Int { Int(record.labelCount) }
    /// Number of (asset, label) pairs: the sum of the label counts (one scan of the counters).
    public func pairCount() throws -> Int {
        try prepareForStreaming()
        var total = 0
        try transaction.withCursor(on: schema.postings) { cursor in
            try Keys.namespace(id).withUnsafeBytes { prefix in
                var op = CursorOperation.setRange(prefix)
                while let more = try cursor.get(
                    op,
                    { key, value -> Bool in
                        guard key.starts(with: prefix) else { return false }
                        if key.count == 8, let list = PostingList(rawValue: Keys.readBigEndianUInt32(key, at: 4)),
                            case .label = list
                        {
                            total += try Counts.decode(value).count
                        }
                        return true
                    }), more
                {
                    op = .next
                }
            }
        }
        return total
    }

    /// Changes whenever a label is created, renamed, moved or deleted: what a query plan that
    /// resolved label names against this namespace depends on.
    public var labelDictionaryVersion: LabelDictionaryVersion {
        LabelDictionaryVersion(namespace: id, generation: record.labelGeneration, nextLabelID: record.nextLabelID)
    }

    // MARK: Assets

    /// The ordinal of the asset with this key, or `nil` when there is none.
    public func ordinal(of key: AssetKey) throws -> AssetOrdinal? {
        try lookupOrdinal(key).map { AssetOrdinal($0) }
    }

    public func contains(_ key: AssetKey) throws -> Bool { try lookupOrdinal(key) != nil }

    /// The ordinals of many keys at once, and the keys that have no asset. Int ids are looked
    /// up in ascending order with one cursor, so a long list walks the index once instead of
    /// descending it from the root for every id.
    public func ordinals(of keys: [AssetKey]) throws -> (found: RoaringBitmap, missing: [AssetKey]) {
        var found = RoaringBitmap()
        var missing: [AssetKey] = []
        var ids: [Int64] = []
        for key in keys {
            if case .id(let assetID) = key {
                ids.append(assetID)
            } else if let ordinal = try lookupOrdinal(key) {
                found.insert(ordinal)
            } else {
                missing.append(key)
            }
        }
        ids.sort()
        try transaction.withCursor(on: schema.intKeys) { cursor in
            try Keys.namespace(id).withUnsafeBytes { nsKey in
                var previous: Int64?
                for assetID in ids where assetID != previous {
                    previous = assetID
                    let probe = [UInt8](bytesOf: Keys.intAssetEntry(id: assetID, ordinal: 0))
                    let ordinal = try probe.withUnsafeBytes { probeBytes in
                        try cursor.get(.getBothRange(nsKey, probeBytes)) { _, value -> UInt32? in
                            let entry = Keys.decodeIntAssetEntry(value)
                            return entry.id == assetID ? entry.ordinal : nil
                        } ?? nil
                    }
                    if let ordinal { found.insert(ordinal) } else { missing.append(.id(assetID)) }
                }
            }
        }
        return (found, missing)
    }

    public func asset(_ key: AssetKey) throws -> Asset? {
        guard let ordinal = try lookupOrdinal(key) else { return nil }
        return try asset(at: AssetOrdinal(ordinal))
    }

    public func asset(at ordinal: AssetOrdinal) throws -> Asset? {
        try assets(at: [ordinal]).first
    }

    /// The keys of the assets at these ordinals, in the order given; ordinals without an asset
    /// are skipped. Much cheaper than `assets(at:)` when only ids are needed.
    public func assetKeys(at ordinals: [AssetOrdinal]) throws -> [AssetKey] {
        var keys: [AssetKey] = []
        keys.reserveCapacity(ordinals.count)
        try forEachRecord(at: ordinals) { _, raw in keys.append(try AssetRecord.decodeKey(raw)) }
        return keys
    }

    /// The labels of an asset in their stored order, or `nil` when the asset does not exist.
    public func labels(of key: AssetKey) throws -> [AssetLabel]? {
        guard let ordinal = try lookupOrdinal(key), let stored = try storedLabels(ordinal) else { return nil }
        return try resolve(stored)
    }

    /// The label ids (with weights) of the asset at `ordinal`, without resolving names.
    public func labelIDs(at ordinal: AssetOrdinal) throws -> [(id: LabelID, weight: Double?)]? {
        try storedLabels(ordinal.rawValue)?.map { (LabelID($0.id), $0.weight) }
    }

    /// Assets in ordinal (creation) order, starting after `ordinal`.
    public func assets(after ordinal: AssetOrdinal? = nil, limit: Int) throws -> [Asset] {
        guard limit > 0 else { return [] }
        let start = ordinal.map { UInt64($0.rawValue) + 1 } ?? 0
        guard start <= UInt64(UInt32.max) else { return [] }
        return try readAssets(reserving: Swift.min(limit, 1_024)) { add in
            try forEachRecord(from: UInt32(start)) { try add($0, $1) < limit }
        }
    }

    /// The assets at these ordinals, in the order given; ordinals without an asset are skipped.
    public func assets(at ordinals: [AssetOrdinal]) throws -> [Asset] {
        try readAssets(reserving: ordinals.count) { add in try forEachRecord(at: ordinals) { _ = try add($0, $1) } }
    }

    /// The assets of the records `visit` passes to its `add` (which returns how many there are
    /// so far): each record becomes its asset as it is read; metadata, stored apart, afterwards.
    private func readAssets(
        reserving capacity: Int, _ visit: (_ add: (UInt32, UnsafeRawBufferPointer) throws -> Int) throws -> Void
    ) throws -> [Asset] {
        var assets: [Asset] = []
        assets.reserveCapacity(capacity)
        var withMetadata: [Int] = []
        var unnamed: [Int] = []
        let epoch = record.createdAt
        let shared = sharedLabelNames
        try visit { ordinal, raw in
            var missing = false
            let asset = try AssetRecord.decodeAsset(raw, epoch: epoch, ordinal: ordinal, unnamed: &missing) {
                shared[$0]
            }
            if asset.metadata != nil { withMetadata.append(assets.count) }
            if missing { unnamed.append(assets.count) }
            assets.append(asset)
            return assets.count
        }
        for index in withMetadata { assets[index].metadata = try metadata(at: assets[index].ordinal.rawValue) }
        for index in unnamed {
            for position in assets[index].labels.indices {
                assets[index].labels[position].name = try labelPath(assets[index].labels[position].id.rawValue)
            }
        }
        return assets
    }

    // MARK: Postings primitives (writers override these to see their buffered changes)

    /// The cardinality of a list, from the counts kept current by every write.
    func count(of list: UInt32) throws -> Int {
        try listState(of: list).count
    }

    /// A list's cardinality and version (the id of the last transaction that changed it).
    func listState(of list: UInt32) throws -> Counts.State {
        try Counts.load(namespace: id, list: list, in: transaction, schema: schema)
    }

    /// One chunk of a list, or `nil` when the list has no ordinal in that block.
    func chunk(list: UInt32, block: UInt16) throws -> RoaringBitmap? {
        try Keys.chunk(id, list, block).withUnsafeBytes { key in
            try transaction.withValue(in: schema.postings, forKey: key) { raw in
                try decodeChunk(raw, list: list, block: block)
            }
        }
    }

    /// Called before reading postings straight from LMDB (streams); writers flush here.
    func prepareForStreaming() throws {}

    func decodeChunk(_ raw: UnsafeRawBufferPointer, list: UInt32, block: UInt16) throws -> RoaringBitmap {
        guard let cache = caches?.chunks else { return try PostingsChunk.decode(raw) }
        let version = try PostingsChunk.version(of: raw)
        let key = PostingsKey(namespace: id, list: list, block: block)
        if let hit = cache.value(for: key, version: version) { return hit }
        let bitmap = try PostingsChunk.decode(raw)
        cache.insert(bitmap, bytes: bitmap.memoryFootprint + 48, for: key, version: version)
        return bitmap
    }

    // MARK: Records

    func lookupOrdinal(_ key: AssetKey) throws -> UInt32? {
        switch key {
        case .id(let assetID):
            return try transaction.withCursor(on: schema.intKeys) { cursor in
                try Keys.namespace(id).withUnsafeBytes { nsKey in
                    let probe = [UInt8](bytesOf: Keys.intAssetEntry(id: assetID, ordinal: 0))
                    return try probe.withUnsafeBytes { probeBytes in
                        try cursor.get(.getBothRange(nsKey, probeBytes)) { _, value -> UInt32? in
                            let entry = Keys.decodeIntAssetEntry(value)
                            return entry.id == assetID ? entry.ordinal : nil
                        } ?? nil
                    }
                }
            }
        case .typed(let type, let stringID):
            return try transaction.withValue(
                in: schema.typedKeys, forKey: Keys.typedAsset(id, type: type, id: stringID)
            ) {
                raw in raw.count == 4 ? Keys.readBigEndianUInt32(raw) : nil
            } ?? nil
        }
    }

    /// Passes the bytes of the record at `ordinal` (borrowed from the map) to `body`.
    func withRecordBytes<R>(_ ordinal: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try Keys.pair(id, RecordGroup.index(of: ordinal)).withUnsafeBytes { key in
            var result: R?
            _ = try transaction.withValue(in: schema.records, forKey: key) { group in
                if let record = try RecordGroup.record(in: group, slot: RecordGroup.slot(of: ordinal)) {
                    result = try body(record)
                }
            }
            return result
        }
    }

    /// Visits the records at `ordinals` in the order given, skipping ordinals without an asset,
    /// through one cursor: a page's ordinals share groups and pages, and LMDB finds a key on the
    /// cursor's current page without descending the tree again.
    func forEachRecord(at ordinals: [AssetOrdinal], _ body: (UInt32, UnsafeRawBufferPointer) throws -> Void) throws {
        guard !ordinals.isEmpty else { return }
        try transaction.withCursor(on: schema.records) { cursor in
            // A page's ordinals come in runs that share a group of eight: one lookup and one
            // walk of the group per run, when the run ascends (a page's always does).
            var start = 0
            while start < ordinals.count {
                let group = RecordGroup.index(of: ordinals[start].rawValue)
                var end = start + 1
                var wanted: UInt8 = 1 << RecordGroup.slot(of: ordinals[start].rawValue)
                var ascending = true
                while end < ordinals.count, RecordGroup.index(of: ordinals[end].rawValue) == group {
                    let bit: UInt8 = 1 << RecordGroup.slot(of: ordinals[end].rawValue)
                    // A power of two above the mask is above every slot in it.
                    ascending = ascending && bit > wanted
                    wanted |= bit
                    end += 1
                }
                try Keys.pair(id, group).withUnsafeBytes { key in
                    _ = try cursor.get(.set(key)) { _, stored in
                        if ascending {
                            try RecordGroup.forEach(in: stored, slots: wanted) { slot, record in
                                try body(RecordGroup.ordinal(group: group, slot: slot), record)
                            }
                            return
                        }
                        for index in start..<end {
                            let ordinal = ordinals[index].rawValue
                            if let record = try RecordGroup.record(in: stored, slot: RecordGroup.slot(of: ordinal)) {
                                try body(ordinal, record)
                            }
                        }
                    }
                }
                start = end
            }
        }
    }

    /// Visits records in ordinal order from `start`, while `body` returns true.
    func forEachRecord(from start: UInt32, _ body: (UInt32, UnsafeRawBufferPointer) throws -> Bool) throws {
        try transaction.withCursor(on: schema.records) { cursor in
            try Keys.pair(id, RecordGroup.index(of: start)).withUnsafeBytes { from in
                var op = CursorOperation.setRange(from)
                var going = true
                while going,
                    try cursor.get(
                        op,
                        { key, group -> Bool in
                            guard key.count == 8, Keys.readBigEndianUInt32(key) == id else { return false }
                            let index = Keys.readBigEndianUInt32(key, at: 4)
                            try RecordGroup.forEach(in: group) { slot, record in
                                let ordinal = RecordGroup.ordinal(group: index, slot: slot)
                                if going && ordinal >= start { going = try body(ordinal, record) }
                            }
                            return true
                        }) == true
                {
                    op = .next
                }
            }
        }
    }

    func assetRecord(_ ordinal: UInt32) throws -> AssetRecord? {
        let epoch = record.createdAt
        guard var record = try withRecordBytes(ordinal, { try AssetRecord(decoding: $0, epoch: epoch) }) else {
            return nil
        }
        if record.metadata != nil { record.metadata = try metadata(at: ordinal) }
        return record
    }

    func metadata(at ordinal: UInt32) throws -> [UInt8] {
        try Keys.pair(id, ordinal).withUnsafeBytes { try transaction.value(in: schema.metadata, forKey: $0) } ?? []
    }

    func storedLabels(_ ordinal: UInt32) throws -> [AssetRecord.StoredLabel]? {
        try withRecordBytes(ordinal) { try AssetRecord.decodeLabels($0) }
    }

    func resolve(_ stored: [AssetRecord.StoredLabel]) throws -> [AssetLabel] {
        let shared = sharedLabelNames
        return try stored.map { label in
            AssetLabel(id: LabelID(label.id), name: try shared[label.id] ?? labelPath(label.id), weight: label.weight)
        }
    }

    /// The label's path (what an asset's label is called; see `LabelPath`), from the caches or
    /// built from its ancestors' records.
    func labelPath(_ labelID: UInt32) throws -> String { try labelPath(labelID, depth: 1) }

    private func labelPath(_ labelID: UInt32, depth: Int) throws -> String {
        if let path = sharedLabelNames[labelID] ?? labelNameMemo[labelID] { return path }
        guard let label = try labelRecord(labelID) else {
            throw LabelIndexError.corrupted("asset refers to missing label \(labelID)")
        }
        // Every level adds at least two bytes to a path, so only a parent cycle (a damaged store)
        // goes deeper than this.
        guard depth <= LabelPath.limit else {
            throw LabelIndexError.corrupted("label hierarchy cycle above label \(labelID)")
        }
        let path = LabelPath.path(
            of: label.name, under: try label.parent.map { try labelPath($0, depth: depth + 1) })
        if fillsSharedCaches {
            store.labelNames.insert(path, for: labelID, namespace: id, generation: record.labelGeneration)
        }
        labelNameMemo[labelID] = path
        return path
    }

    /// Whether this reader's data is committed (a snapshot), so it may fill the caches that
    /// all readers share.
    var fillsSharedCaches: Bool { !(transaction is WriteTransaction) }
}
