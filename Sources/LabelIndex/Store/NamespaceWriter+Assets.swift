import LMDB
import Roaring

extension NamespaceWriter {
    /// Creates the asset, or updates the attributes of an existing one (its labels are kept).
    @discardableResult
    public func upsertAsset(
        _ key: AssetKey, _ attributes: AssetAttributes = AssetAttributes()
    ) throws
        -> UpsertOutcome
    {
        try validate(key)
        try validate(attributes)
        let now = writer.now
        let updatedAt = attributes.updatedAt.map(Clock.milliseconds) ?? now
        if let ordinal = try lookupOrdinal(key) {
            try updateAttributes(at: ordinal, attributes, updatedAt: updatedAt)
            return .updated(AssetOrdinal(ordinal))
        }
        let ordinal = try allocateOrdinal()
        try storeKey(key, ordinal: ordinal)
        let stored = AssetRecord(
            key: key, name: attributes.name, assetType: attributes.assetType,
            createdAt: attributes.createdAt.map(Clock.milliseconds) ?? now, updatedAt: updatedAt,
            metadata: attributes.metadata, labels: [])
        try putRecord(stored.encoded(epoch: record.createdAt), at: ordinal)
        try putMetadata(attributes.metadata, at: ordinal)
        try insert(ordinal, into: PostingList.universe.rawValue)
        updateRecord { $0.assetCount += 1 }
        return .created(AssetOrdinal(ordinal))
    }

    /// Deletes the asset and every trace of it in every index. Returns false when there was
    /// no such asset.
    @discardableResult
    public func deleteAsset(_ key: AssetKey) throws -> Bool {
        guard let ordinal = try lookupOrdinal(key) else { return false }
        let labels = try storedLabels(ordinal) ?? []
        for label in labels { try remove(ordinal, from: label.id) }
        if !labels.isEmpty { try remove(ordinal, from: PostingList.labelled.rawValue) }
        try remove(ordinal, from: PostingList.universe.rawValue)
        try putRecord(nil, at: ordinal)
        try putMetadata(nil, at: ordinal)
        try deleteKey(key, ordinal: ordinal)
        updateRecord { $0.assetCount -= 1 }
        return true
    }

    // MARK: Labels of one asset

    /// Applies a label change to one asset. Label names that do not exist yet are created by
    /// `append` and `replace` (with default color, at the root).
    /// - Throws: `LabelIndexError.assetNotFound` when there is no such asset.
    public func apply(_ change: LabelChange, to key: AssetKey) throws {
        guard let ordinal = try lookupOrdinal(key) else { throw LabelIndexError.assetNotFound(key) }
        let resolved = try resolve(change)
        try modifyLabels(of: ordinal) { resolved.apply(to: &$0) }
    }

    /// Applies a label change to every asset in `ordinals` in this transaction (a query's
    /// result, say); ordinals without an asset are skipped. Returns how many assets changed.
    @discardableResult
    public func apply(_ change: LabelChange, toOrdinals ordinals: RoaringBitmap) throws -> Int {
        // Resolved on the first live asset, so a change that reaches no asset creates no label.
        var resolved: ResolvedChange?
        var changed = 0
        for ordinal in ordinals {
            let modified = try modifyLabels(of: ordinal) { labels in
                if resolved == nil { resolved = try resolve(change) }
                resolved?.apply(to: &labels)
            }
            if modified { changed += 1 }
        }
        return changed
    }

    /// Removes every label from the asset; the asset stays.
    public func removeAllLabels(from key: AssetKey) throws {
        try apply(.replace([]), to: key)
    }

    // MARK: Internals

    /// Rewrites the labels of the asset at `ordinal` when `transform` changes them, keeping
    /// every postings list, the `labelled` set and the pair count in step. Returns whether
    /// anything changed; false (and nothing written) for an ordinal without an asset.
    @discardableResult
    func modifyLabels(
        of ordinal: UInt32, updatedAt: Int64? = nil, _ transform: (inout [AssetRecord.StoredLabel]) throws -> Void
    ) throws -> Bool {
        // Copied out: a borrowed pointer into a write transaction's pages may not survive the
        // writes that follow.
        guard let stored = try withRecordBytes(ordinal, { Array($0) }) else { return false }
        let old = try stored.withUnsafeBytes { try AssetRecord.decodeLabels($0) }
        var new = old
        try transform(&new)
        guard new != old else { return false }
        let oldIDs = LabelIDSet(old)
        let newIDs = LabelIDSet(new)
        for label in old where !newIDs.contains(label.id) { try remove(ordinal, from: label.id) }
        for label in new where !oldIDs.contains(label.id) { try insert(ordinal, into: label.id) }
        if old.isEmpty != new.isEmpty {
            if new.isEmpty {
                try remove(ordinal, from: PostingList.labelled.rawValue)
            } else {
                try insert(ordinal, into: PostingList.labelled.rawValue)
            }
        }
        let updated = try stored.withUnsafeBytes {
            try AssetRecord.replacingLabels(
                in: $0, with: new, updatedAt: updatedAt ?? writer.now, epoch: record.createdAt)
        }
        try putRecord(updated, at: ordinal)
        return true
    }

    /// Replaces the attributes of the asset at `ordinal`, keeping its labels (and its creation
    /// time unless `attributes` sets one).
    func updateAttributes(at ordinal: UInt32, _ attributes: AssetAttributes, updatedAt: Int64) throws {
        guard var stored = try assetRecord(ordinal) else {
            throw LabelIndexError.corrupted("ordinal \(ordinal) has no asset record")
        }
        stored.name = attributes.name
        stored.assetType = attributes.assetType
        stored.metadata = attributes.metadata
        stored.updatedAt = updatedAt
        if let createdAt = attributes.createdAt { stored.createdAt = Clock.milliseconds(createdAt) }
        try putRecord(stored.encoded(epoch: record.createdAt), at: ordinal)
        try putMetadata(attributes.metadata, at: ordinal)
    }

    /// Stores (or, with `nil`, removes) the record at `ordinal` in its group.
    func putRecord(_ bytes: [UInt8]?, at ordinal: UInt32) throws {
        try Keys.pair(id, RecordGroup.index(of: ordinal)).withUnsafeBytes { key in
            // Copied: the group is rewritten below, which may move the page it lives on.
            let current = try transaction.value(in: schema.records, forKey: key)
            let slot = RecordGroup.slot(of: ordinal)
            let updated =
                try current.map { group in
                    try group.withUnsafeBytes { try RecordGroup.replacing(slot: slot, with: bytes, in: $0) }
                }
                ?? RecordGroup.replacing(slot: slot, with: bytes, in: nil)
            if let updated {
                try updated.withUnsafeBytes { try writeTransaction.put($0, in: schema.records, forKey: key) }
            } else if current != nil {
                try writeTransaction.delete(from: schema.records, key: key)
            }
        }
    }

    func putMetadata(_ metadata: [UInt8]?, at ordinal: UInt32) throws {
        try Keys.pair(id, ordinal).withUnsafeBytes { key in
            if let metadata {
                try metadata.withUnsafeBytes { try writeTransaction.put($0, in: schema.metadata, forKey: key) }
            } else {
                try writeTransaction.delete(from: schema.metadata, key: key)
            }
        }
    }

    private func allocateOrdinal() throws -> UInt32 {
        let capacity = store.options.ordinalCapacity
        if record.nextOrdinal < capacity {
            let ordinal = UInt32(record.nextOrdinal)
            updateRecord { $0.nextOrdinal += 1 }
            return ordinal
        }
        // Fresh ordinals are exhausted: recycle the smallest one no live asset holds.
        guard record.assetCount < capacity else { throw LabelIndexError.assetCapacityReached(limit: Int(capacity)) }
        for block in 0..<blockLimit {
            let range = PostingsChunk.range(of: UInt16(block))
            guard let used = try chunk(list: PostingList.universe.rawValue, block: UInt16(block)) else {
                return range.lowerBound
            }
            guard used.count < range.count else { continue }
            var candidate = range.lowerBound
            for ordinal in used {
                if ordinal != candidate { break }
                candidate += 1
            }
            if UInt64(candidate) < capacity { return candidate }
        }
        throw LabelIndexError.assetCapacityReached(limit: Int(capacity))
    }

    private func storeKey(_ key: AssetKey, ordinal: UInt32) throws {
        switch key {
        case .id(let assetID):
            try writeTransaction.withCursor(on: schema.intKeys) { cursor in
                try Keys.namespace(id).withUnsafeBytes { nsKey in
                    try [UInt8](bytesOf: Keys.intAssetEntry(id: assetID, ordinal: ordinal)).withUnsafeBytes {
                        try cursor.put($0, forKey: nsKey)
                    }
                }
            }
        case .typed(let type, let stringID):
            var ordinalBytes = ByteWriter()
            ordinalBytes.appendBigEndian(ordinal)
            try writeTransaction.put(
                ordinalBytes.bytes, in: schema.typedKeys, forKey: Keys.typedAsset(id, type: type, id: stringID))
        }
    }

    private func deleteKey(_ key: AssetKey, ordinal: UInt32) throws {
        switch key {
        case .id(let assetID):
            try Keys.namespace(id).withUnsafeBytes { nsKey in
                try [UInt8](bytesOf: Keys.intAssetEntry(id: assetID, ordinal: ordinal)).withUnsafeBytes {
                    _ = try writeTransaction.delete(from: schema.intKeys, key: nsKey, value: $0)
                }
            }
        case .typed(let type, let stringID):
            try writeTransaction.delete(from: schema.typedKeys, key: Keys.typedAsset(id, type: type, id: stringID))
        }
    }

    func validate(_ key: AssetKey) throws {
        guard case .typed(let type, let stringID) = key else { return }
        if let violation = NameRule.violation(of: type, limit: NameRule.assetTypeBytes) {
            throw LabelIndexError.invalidAssetKey(key, violation)
        }
        if let violation = NameRule.violation(of: stringID, limit: NameRule.assetStringIDBytes) {
            throw LabelIndexError.invalidAssetKey(key, violation)
        }
    }

    func validate(_ attributes: AssetAttributes) throws {
        let nameBytes = attributes.name.utf8.count
        if nameBytes > store.options.maxAssetNameBytes {
            throw LabelIndexError.valueTooLarge(
                field: "asset name", bytes: nameBytes, limit: store.options.maxAssetNameBytes)
        }
        if let metadata = attributes.metadata, metadata.count > store.options.maxMetadataBytes {
            throw LabelIndexError.valueTooLarge(
                field: "metadata", bytes: metadata.count, limit: store.options.maxMetadataBytes)
        }
        if let type = attributes.assetType, let violation = NameRule.violation(of: type, limit: NameRule.assetTypeBytes)
        {
            throw LabelIndexError.invalidAssetType(type, violation)
        }
    }
}

/// Membership test over a handful of label ids: a linear scan for the common short lists,
/// a set for long ones.
struct LabelIDSet {
    private let small: [UInt32]
    private let large: Set<UInt32>?

    init(_ labels: [AssetRecord.StoredLabel]) {
        if labels.count > 16 {
            small = []
            large = Set(labels.map(\.id))
        } else {
            small = labels.map(\.id)
            large = nil
        }
    }

    func contains(_ id: UInt32) -> Bool { large?.contains(id) ?? small.contains(id) }
}
