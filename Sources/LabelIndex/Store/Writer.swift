import LMDB
import Roaring

/// The write transaction: what `LabelStore.write` hands you. Valid only inside that closure.
///
/// Postings and counters changed by the transaction are buffered here and written once, when
/// the transaction commits (or before a nested transaction starts), so a bulk change that
/// touches the same chunk many times rewrites it once.
public final class Writer {
    let store: LabelStore
    let transaction: WriteTransaction
    var pendingChunks: [PostingsKey: RoaringBitmap] = [:]
    var pendingCounts: [ListKey: Int] = [:]
    private var namespaceWriters: [Namespace: NamespaceWriter] = [:]
    /// The time (ms since 1970) this transaction records as "now" (creation and update times of
    /// assets, labels and namespaces); `nil` reads the clock. A replicated command sets it when
    /// the command is made, so every replica that applies it stores the same times. Nested
    /// transactions inherit it.
    public var timestamp: Int64?

    struct ListKey: Hashable {
        var namespace: UInt32
        var list: UInt32
    }

    init(store: LabelStore, transaction: WriteTransaction) {
        self.store = store
        self.transaction = transaction
    }

    /// "Now" for what this transaction stores: `timestamp`, else the clock.
    var now: Int64 { timestamp ?? Clock.nowMilliseconds() }

    /// The namespace, created on first use.
    public func namespace(_ namespace: Namespace) throws -> NamespaceWriter {
        if let existing = namespaceWriters[namespace] { return existing }
        if let violation = NameRule.violation(of: namespace.name, limit: NameRule.namespaceNameBytes) {
            throw LabelIndexError.invalidNamespaceName(namespace.name, violation)
        }
        let record =
            try NamespaceDirectory.record(of: namespace, in: transaction, schema: store.schema)
            ?? NamespaceDirectory.create(namespace, createdAt: now, in: transaction, schema: store.schema)
        let writer = NamespaceWriter(namespace: namespace, record: record, writer: self)
        namespaceWriters[namespace] = writer
        return writer
    }

    /// The namespace if it exists, without creating it.
    public func existingNamespace(_ namespace: Namespace) throws -> NamespaceWriter? {
        if let existing = namespaceWriters[namespace] { return existing }
        guard try NamespaceDirectory.record(of: namespace, in: transaction, schema: store.schema) != nil else {
            return nil
        }
        return try self.namespace(namespace)
    }

    public func namespaces() throws -> [Namespace] {
        try flush()
        return try NamespaceDirectory.all(in: transaction, schema: store.schema)
    }

    /// Deletes a namespace with everything in it. Returns false when it did not exist.
    @discardableResult
    public func deleteNamespace(_ namespace: Namespace) throws -> Bool {
        try flush()
        namespaceWriters[namespace] = nil
        return try NamespaceDirectory.delete(namespace, in: transaction, schema: store.schema)
    }

    /// Stores (or, with `nil`, removes) an application value, e.g. a server's API-key hashes.
    /// Keys are 1 to 400 bytes.
    public func setApplicationValue(_ value: [UInt8]?, forKey key: [UInt8]) throws {
        try ApplicationData.set(value, forKey: key, in: transaction, schema: store.schema)
    }

    public func applicationValue(forKey key: [UInt8]) throws -> [UInt8]? {
        try ApplicationData.value(forKey: key, in: transaction, schema: store.schema)
    }

    public func applicationEntries(withPrefix prefix: [UInt8]) throws -> [(key: [UInt8], value: [UInt8])] {
        try ApplicationData.entries(withPrefix: prefix, in: transaction, schema: store.schema)
    }

    /// Runs `body` in a nested transaction: if it throws, its changes are undone and this
    /// transaction continues as if it had not run. The server's group commit runs each request
    /// this way, so one failing request does not fail the others in its commit.
    /// - Throws: `LMDBError.nestedWithWriteMap` (as `.storage`) when the store uses `writeMap`.
    @discardableResult
    public func nested<R>(_ body: (Writer) throws -> R) throws -> R {
        try flush()
        let outcome = Result {
            try LabelStore.mapStorageErrors {
                try transaction.nested { child in
                    let writer = Writer(store: store, transaction: child)
                    writer.timestamp = timestamp
                    let result = try body(writer)
                    try writer.flush()
                    return result
                }
            }
        }
        // The child may have changed namespace records that this writer's namespace writers
        // hold (and that callers may still reference): reload them.
        for writer in namespaceWriters.values { try writer.reload() }
        return try outcome.get()
    }

    /// Writes buffered postings, counts and namespace records into the LMDB transaction.
    /// Every list with a written chunk gets its counter rewritten with this transaction's id as
    /// its version, which is what invalidates readers' cached copies of the whole list.
    func flush() throws {
        let version = UInt64(transaction.id)
        let schema = store.schema
        var changedLists = Set(pendingCounts.keys)
        for key in pendingChunks.keys { changedLists.insert(ListKey(namespace: key.namespace, list: key.list)) }
        if !pendingChunks.isEmpty {
            let sorted = pendingChunks.sorted {
                ($0.key.namespace, $0.key.list, $0.key.block) < ($1.key.namespace, $1.key.list, $1.key.block)
            }
            for (key, bitmap) in sorted {
                let dbKey = Keys.chunk(key.namespace, key.list, key.block)
                try dbKey.withUnsafeBytes { rawKey in
                    if bitmap.isEmpty {
                        try transaction.delete(from: schema.postings, key: rawKey)
                    } else {
                        try transaction.put(
                            reservingCount: PostingsChunk.encodedSize(of: bitmap), in: schema.postings, forKey: rawKey
                        ) { buffer in PostingsChunk.encode(bitmap, version: version, into: buffer) }
                    }
                }
            }
            pendingChunks.removeAll(keepingCapacity: true)
        }
        for key in changedLists {
            let count =
                try pendingCounts[key]
                ?? Counts.load(namespace: key.namespace, list: key.list, in: transaction, schema: schema).count
            try Counts.store(
                Counts.State(count: count, version: version), namespace: key.namespace, list: key.list, in: transaction,
                schema: schema)
        }
        pendingCounts.removeAll(keepingCapacity: true)
        for writer in namespaceWriters.values where writer.recordIsDirty {
            try NamespaceDirectory.store(writer.record, of: writer.namespace, in: transaction, schema: schema)
            writer.recordIsDirty = false
        }
    }
}
