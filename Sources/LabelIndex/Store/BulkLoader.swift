import LMDB
import Roaring

/// Loads many assets into one namespace within one write transaction, much faster than an
/// upsert and a label change per asset: new assets are appended in ordinal order, their
/// postings are built per label from sorted runs and written a chunk at a time, and their
/// int keys are sorted and written in bulk. Assets that already exist take the ordinary path
/// (and are left untouched, `updatedAt` included, when nothing about them changed), so
/// loading the same data twice changes nothing. (An input that repeats a key ends with the
/// same content each time, but the repeated asset is rewritten and its `updatedAt` moves.)
///
/// Each `add` makes the asset carry exactly the given labels, in that order (an import line
/// is the asset's full state). Labels are named by `LabelID`s obtained from `labelID(named:)`
/// or `defineLabel`, so a name is resolved once per load, not once per asset.
///
/// ```swift
/// try store.write { writer in
///     let loader = try writer.bulkLoader(for: .default)
///     let prod = try loader.labelID(named: "prod")
///     try loader.add(.id(1), AssetAttributes(name: "a"), labels: [(prod, nil)])
///     let summary = try loader.finish()
/// }
/// ```
///
/// Until `finish()`, other changes to the same namespace through the writer must wait: the
/// loader holds keys and postings of new assets that are not in the database yet.
public final class BulkLoader {
    /// What a load did.
    public struct Summary: Hashable, Sendable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var labelsCreated = 0
    }

    let namespace: NamespaceWriter
    private(set) public var summary = Summary()
    /// Assets of this load by key, so a key repeated in the input updates the first one (int
    /// ids apart: hashing an `Int64` is much cheaper than hashing the enum).
    @exclusivity(unchecked) private var loadedIDs = OrdinalTable()
    private var loadedTyped: [AssetKey: UInt32] = [:]
    private let namespaceWasEmpty: Bool
    private let hadIntKeys: Bool
    /// The buffered new assets: their records encoded back to back in `records`, the members
    /// of each label gathered directly in an array indexed by label id (ids are dense).
    /// (Exempt from dynamic exclusivity checks, which cost more than these accesses: the
    /// loader is used from one thread and none of its methods re-enter another.)
    @exclusivity(unchecked) private var groupOrdinals: [UInt32] = []
    @exclusivity(unchecked) private var recordEnds: [Int] = []
    @exclusivity(unchecked) private var records = ByteWriter(capacity: 1 << 20)
    private var groupMetadata: [(UInt32, [UInt8])] = []
    @exclusivity(unchecked) private var members: [[UInt32]] = []
    @exclusivity(unchecked) private var labelled: [UInt32] = []
    @exclusivity(unchecked) private var scratchLabels: [AssetRecord.StoredLabel] = []
    /// (sortable id, ordinal) in native byte order; swapped to big-endian when written.
    @exclusivity(unchecked) private var intKeyEntries: [(UInt64, UInt32)] = []
    private var typedKeyEntries: [([UInt8], UInt32)] = []
    private var finished = false

    /// New assets are written in groups of this many, bounding the loader's own memory.
    static let groupSize = 65_536

    init(namespace: NamespaceWriter) throws {
        self.namespace = namespace
        namespaceWasEmpty = namespace.assetCount == 0
        hadIntKeys = try namespace.hasIntKeys()
    }

    // MARK: Labels

    /// The id of the label `address` names (its path, or a name only one label has: see
    /// `NamespaceReader.labelID(named:)`), creating a top-level label named `address` (default
    /// color) when it names none.
    public func labelID(named address: String) throws -> LabelID {
        if let existing = try namespace.labelID(named: address) { return existing }
        summary.labelsCreated += 1
        return try namespace.createLabel(NewLabel(name: address)).id
    }

    /// Creates the label named `name` under the label `parentName` names (at the root when
    /// `nil`), or updates the color and weight of the one that is there. The parent is found
    /// (or created at the root) as `labelID(named:)` finds labels. A
    /// definition never moves a label: names are unique only among siblings, so the same name
    /// under another parent is another label.
    @discardableResult
    public func defineLabel(
        named name: String, color: LabelColor?, parentName: String?, weight: Double?
    ) throws
        -> LabelID
    {
        let parent = try parentName.map { try labelID(named: $0) }
        let path = LabelPath.path(of: name, under: try parent.map { try namespace.labelPath($0.rawValue) })
        let label: LabelID
        if let existing = try namespace.labelID(named: path) {
            let current = try namespace.label(existing)
            var update = LabelUpdate()
            if let color, color != current?.color { update.color = color }
            if current?.weight != weight { update.weight = .some(weight) }
            if update != LabelUpdate() { try namespace.updateLabel(existing, update) }
            label = existing
        } else {
            summary.labelsCreated += 1
            label = try namespace.createLabel(NewLabel(name: name, color: color, parent: parent, weight: weight)).id
        }
        return label
    }

    // MARK: Assets

    /// Makes the asset `key` exist with these attributes and exactly these labels.
    public func add(_ key: AssetKey, _ attributes: AssetAttributes, labels: [(LabelID, Double?)]) throws {
        precondition(!finished, "add after finish")
        try namespace.validate(key)
        try namespace.validate(attributes)
        var stored = scratchLabels
        stored.removeAll(keepingCapacity: true)
        defer { scratchLabels = stored }
        for (label, weight) in labels {
            try Validation.checkWeight(weight)
            if !stored.contains(where: { $0.id == label.rawValue }) {
                stored.append(AssetRecord.StoredLabel(id: label.rawValue, weight: weight))
            }
        }
        let hasFreshOrdinal = namespace.record.nextOrdinal < namespace.store.options.ordinalCapacity
        if case .id(let id) = key, hasFreshOrdinal {
            // The common case in one probe of the table: the id is remembered with the ordinal
            // it will get unless it turns out to exist already.
            let fresh = UInt32(namespace.record.nextOrdinal)
            if let loaded = loadedIDs.value(for: id, insertingIfAbsent: fresh) {
                try update(loaded, key: key, attributes, labels: stored)
                return
            }
            if !namespaceWasEmpty, let existing = try namespace.lookupOrdinal(key) {
                loadedIDs.insert(existing, for: id)
                try update(existing, key: key, attributes, labels: stored)
                return
            }
        } else if let ordinal = try existingOrdinal(of: key) {
            try update(ordinal, key: key, attributes, labels: stored)
            return
        }
        guard hasFreshOrdinal else {
            // Fresh ordinals are exhausted; recycling goes through the ordinary path.
            try flushGroup()
            let ordinal = try namespace.upsertAsset(key, attributes).ordinal.rawValue
            try namespace.modifyLabels(of: ordinal) { $0 = stored }
            remember(key, ordinal)
            summary.created += 1
            return
        }
        let ordinal = UInt32(namespace.record.nextOrdinal)
        namespace.updateRecord {
            $0.nextOrdinal += 1
            $0.assetCount += 1
        }
        let now = Clock.nowMilliseconds()
        AssetRecord.encode(
            key: key, name: attributes.name, assetType: attributes.assetType,
            createdAt: attributes.createdAt.map(Clock.milliseconds) ?? now,
            updatedAt: attributes.updatedAt.map(Clock.milliseconds) ?? now, hasMetadata: attributes.metadata != nil,
            labels: stored, into: &records, epoch: namespace.record.createdAt)
        recordEnds.append(records.bytes.count)
        groupOrdinals.append(ordinal)
        if let metadata = attributes.metadata { groupMetadata.append((ordinal, metadata)) }
        if !stored.isEmpty { labelled.append(ordinal) }
        for label in stored {
            let index = Int(label.id)
            if index >= members.count {
                members.append(contentsOf: repeatElement([], count: index + 1 - members.count))
            }
            members[index].append(ordinal)
        }
        switch key {
        case .id(let id): intKeyEntries.append((UInt64(bitPattern: id) ^ (1 << 63), ordinal))
        case .typed(let type, let id):
            typedKeyEntries.append((Keys.typedAsset(namespace.id, type: type, id: id), ordinal))
            loadedTyped[key] = ordinal
        }
        summary.created += 1
        if groupOrdinals.count >= Self.groupSize { try flushGroup() }
    }

    /// Writes everything still buffered. The loader cannot be used afterwards.
    @discardableResult
    public func finish() throws -> Summary {
        guard !finished else { return summary }
        try flushGroup()
        try writeKeys()
        finished = true
        return summary
    }

    // MARK: Internals

    private func existingOrdinal(of key: AssetKey) throws -> UInt32? {
        let loaded: UInt32? =
            switch key {
            case .id(let id): loadedIDs[id]
            case .typed: loadedTyped[key]
            }
        if let loaded { return loaded }
        return namespaceWasEmpty ? nil : try namespace.lookupOrdinal(key)
    }

    private func remember(_ key: AssetKey, _ ordinal: UInt32) {
        switch key {
        case .id(let id):
            loadedIDs.insert(ordinal, for: id)
        case .typed: loadedTyped[key] = ordinal
        }
    }

    /// The ordinary path, for an asset already in the namespace (or earlier in this load).
    private func update(
        _ ordinal: UInt32, key: AssetKey, _ attributes: AssetAttributes, labels: [AssetRecord.StoredLabel]
    )
        throws
    {
        // An asset of this load may still be in the buffer: write it first.
        if let first = groupOrdinals.first, ordinal >= first { try flushGroup() }
        guard let current = try namespace.assetRecord(ordinal) else {
            throw LabelIndexError.corrupted("asset \(key) has an ordinal but no record")
        }
        let sameAttributes =
            current.name == attributes.name && current.assetType == attributes.assetType
            && current.metadata == attributes.metadata
            && attributes.createdAt.map { Clock.milliseconds($0) == current.createdAt } ?? true
            && attributes.updatedAt.map { Clock.milliseconds($0) == current.updatedAt } ?? true
        if sameAttributes && current.labels == labels {
            summary.unchanged += 1
            return
        }
        // By ordinal, not key: the keys of this load's new assets are written at `finish()`.
        let updatedAt = attributes.updatedAt.map(Clock.milliseconds) ?? Clock.nowMilliseconds()
        if !sameAttributes { try namespace.updateAttributes(at: ordinal, attributes, updatedAt: updatedAt) }
        try namespace.modifyLabels(of: ordinal, updatedAt: updatedAt) { $0 = labels }
        summary.updated += 1
    }

    /// Writes the buffered new assets: records in ordinal order, then their postings merged
    /// into the affected chunks, one chunk write per (label, block).
    private func flushGroup() throws {
        guard let first = groupOrdinals.first, let last = groupOrdinals.last else { return }
        try writeRecordGroups()
        for (ordinal, metadata) in groupMetadata { try namespace.putMetadata(metadata, at: ordinal) }
        try merge(Array(first...last), into: PostingList.universe.rawValue)
        try merge(labelled, into: PostingList.labelled.rawValue)
        for index in members.indices where !members[index].isEmpty {
            try merge(members[index], into: UInt32(index))
            members[index].removeAll(keepingCapacity: true)
        }
        groupOrdinals.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
        records.bytes.removeAll(keepingCapacity: true)
        groupMetadata.removeAll()
        labelled.removeAll(keepingCapacity: true)
    }

    /// Writes the buffered records eight to a group, appending at the end of the database
    /// when nothing sorts after this namespace. A first group already holding older assets is
    /// merged through the ordinary path.
    private func writeRecordGroups() throws {
        let schema = namespace.schema
        let bytes = records.bytes
        func record(_ position: Int) -> ArraySlice<UInt8> {
            bytes[(position == 0 ? 0 : recordEnds[position - 1])..<recordEnds[position]]
        }
        var start = 0
        var append = true
        try namespace.writeTransaction.withCursor(on: schema.records) { cursor in
            while start < groupOrdinals.count {
                let index = RecordGroup.index(of: groupOrdinals[start])
                var end = start + 1
                while end < groupOrdinals.count && RecordGroup.index(of: groupOrdinals[end]) == index { end += 1 }
                if RecordGroup.slot(of: groupOrdinals[start]) != 0 {
                    // Joins a group that existing assets started.
                    for position in start..<end {
                        try namespace.putRecord(Array(record(position)), at: groupOrdinals[position])
                    }
                } else {
                    let group = RecordGroup.encode(
                        (start..<end).map { (RecordGroup.slot(of: groupOrdinals[$0]), Array(record($0))) })
                    try Keys.pair(namespace.id, index).withUnsafeBytes { key in
                        try group.withUnsafeBytes { value in
                            if append {
                                do { try cursor.put(value, forKey: key, flags: .append) } catch LMDBError.keyExists {
                                    // Another namespace's records sort after ours: ordinary puts.
                                    append = false
                                    try cursor.put(value, forKey: key)
                                }
                            } else {
                                try cursor.put(value, forKey: key)
                            }
                        }
                    }
                }
                start = end
            }
        }
    }

    /// Adds ascending, new `ordinals` to `list`, one chunk at a time.
    private func merge(_ ordinals: [UInt32], into list: UInt32) throws {
        var start = 0
        while start < ordinals.count {
            let block = PostingsChunk.block(of: ordinals[start])
            var end = start + 1
            while end < ordinals.count && PostingsChunk.block(of: ordinals[end]) == block { end += 1 }
            let key = PostingsKey(namespace: namespace.id, list: list, block: block)
            var bitmap =
                try namespace.writer.pendingChunks.removeValue(forKey: key)
                ?? namespace.chunk(list: list, block: block) ?? RoaringBitmap()
            ordinals[start..<end].withUnsafeBufferPointer { bitmap.insert(contentsOf: $0) }
            bitmap.runOptimize()
            namespace.writer.pendingChunks[key] = bitmap
            let countKey = Writer.ListKey(namespace: namespace.id, list: list)
            namespace.writer.pendingCounts[countKey] = try namespace.count(of: list) + (end - start)
            start = end
        }
    }

    /// Writes the key → ordinal entries of the new assets, sorted. Into a namespace that had
    /// no int keys they go in with `MDB_APPENDDUP | MDB_MULTIPLE`: packed pages, no searches.
    private func writeKeys() throws {
        let schema = namespace.schema
        let txn = namespace.writeTransaction
        if !intKeyEntries.isEmpty {
            RadixSort.sortByKey(&intKeyEntries)
            try txn.withCursor(on: schema.intKeys) { cursor in
                try Keys.namespace(namespace.id).withUnsafeBytes { nsKey in
                    if hadIntKeys {
                        for (sortable, ordinal) in intKeyEntries {
                            try [UInt8](bytesOf: (sortable.bigEndian, ordinal.bigEndian)).withUnsafeBytes {
                                try cursor.put($0, forKey: nsKey)
                            }
                        }
                    } else {
                        var packed = [UInt8]()
                        packed.reserveCapacity(intKeyEntries.count * Keys.intAssetEntrySize)
                        for (sortable, ordinal) in intKeyEntries {
                            withUnsafeBytes(of: sortable.bigEndian) { packed.append(contentsOf: $0) }
                            withUnsafeBytes(of: ordinal.bigEndian) { packed.append(contentsOf: $0) }
                        }
                        try packed.withUnsafeBytes { values in
                            _ = try cursor.putMultiple(
                                values, elementSize: Keys.intAssetEntrySize, forKey: nsKey, flags: .appendDuplicate)
                        }
                    }
                }
            }
            intKeyEntries.removeAll()
        }
        if !typedKeyEntries.isEmpty {
            typedKeyEntries.sort { $0.0.lexicographicallyPrecedes($1.0) }
            for (key, ordinal) in typedKeyEntries {
                var value = ByteWriter()
                value.appendBigEndian(ordinal)
                try txn.put(value.bytes, in: schema.typedKeys, forKey: key)
            }
            typedKeyEntries.removeAll()
        }
    }
}

extension Writer {
    /// A bulk loader for `namespace` (created if needed) in this transaction.
    public func bulkLoader(for namespace: Namespace) throws -> BulkLoader {
        try flush()
        return try BulkLoader(namespace: self.namespace(namespace))
    }
}

extension NamespaceReader {
    /// Whether any int-keyed asset exists (the int key index has an entry for the namespace).
    func hasIntKeys() throws -> Bool {
        try transaction.withCursor(on: schema.intKeys) { cursor in
            try Keys.namespace(id).withUnsafeBytes { try cursor.move(.set($0)) }
        }
    }
}
