import LMDB
import Roaring

/// A namespace inside a write transaction: every change to assets, labels and their links,
/// with all indexes kept consistent. It also reads, and sees its own changes.
public final class NamespaceWriter: NamespaceReader {
    unowned let writer: Writer
    var recordIsDirty = false

    init(namespace: Namespace, record: NamespaceRecord, writer: Writer) {
        self.writer = writer
        super.init(
            namespace: namespace, record: record, store: writer.store, transaction: writer.transaction, caches: nil)
    }

    var writeTransaction: WriteTransaction { writer.transaction }

    func reload() throws {
        guard let fresh = try NamespaceDirectory.record(of: namespace, in: transaction, schema: schema) else {
            throw LabelIndexError.corrupted("namespace \(namespace) vanished during a nested transaction")
        }
        record = fresh
        recordIsDirty = false
        labelNameMemo.removeAll()
    }

    func updateRecord(_ change: (inout NamespaceRecord) -> Void) {
        change(&record)
        recordIsDirty = true
    }

    // MARK: Buffered postings

    override func count(of list: UInt32) throws -> Int {
        if let pending = writer.pendingCounts[Writer.ListKey(namespace: id, list: list)] { return pending }
        return try super.count(of: list)
    }

    override func chunk(list: UInt32, block: UInt16) throws -> RoaringBitmap? {
        if let pending = writer.pendingChunks[PostingsKey(namespace: id, list: list, block: block)] {
            return pending.isEmpty ? nil : pending
        }
        return try super.chunk(list: list, block: block)
    }

    override func prepareForStreaming() throws { try writer.flush() }

    /// Adds `ordinal` to `list`; returns whether it was absent.
    @discardableResult
    func insert(_ ordinal: UInt32, into list: UInt32) throws -> Bool {
        let key = PostingsKey(namespace: id, list: list, block: PostingsChunk.block(of: ordinal))
        // Taken out of the buffer while mutated, so the bitmap stays uniquely referenced and
        // is changed in place rather than copied.
        var bitmap =
            try writer.pendingChunks.removeValue(forKey: key) ?? super.chunk(list: list, block: key.block)
            ?? RoaringBitmap()
        let inserted = bitmap.insert(ordinal)
        writer.pendingChunks[key] = bitmap
        if inserted { try adjustCount(of: list, by: 1) }
        return inserted
    }

    /// Removes `ordinal` from `list`; returns whether it was present.
    @discardableResult
    func remove(_ ordinal: UInt32, from list: UInt32) throws -> Bool {
        let key = PostingsKey(namespace: id, list: list, block: PostingsChunk.block(of: ordinal))
        guard
            var bitmap = try writer.pendingChunks.removeValue(forKey: key) ?? super.chunk(list: list, block: key.block)
        else { return false }
        let removed = bitmap.remove(ordinal)
        writer.pendingChunks[key] = bitmap
        if removed { try adjustCount(of: list, by: -1) }
        return removed
    }

    /// Empties `list` entirely (its chunks are deleted at flush).
    func removeAllPostings(of list: UInt32) throws {
        for block in 0..<blockLimit {
            if try chunk(list: list, block: UInt16(block)) != nil {
                writer.pendingChunks[PostingsKey(namespace: id, list: list, block: UInt16(block))] = RoaringBitmap()
            }
        }
        writer.pendingCounts[Writer.ListKey(namespace: id, list: list)] = 0
    }

    private func adjustCount(of list: UInt32, by delta: Int) throws {
        writer.pendingCounts[Writer.ListKey(namespace: id, list: list)] = try count(of: list) + delta
    }
}
