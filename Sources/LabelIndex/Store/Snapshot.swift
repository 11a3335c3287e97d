import LMDB

/// A consistent, read-only view of the whole store: what `LabelStore.read` hands you.
/// Valid only inside that closure.
public final class Snapshot {
    let store: LabelStore
    let transaction: Transaction

    init(store: LabelStore, transaction: Transaction) {
        self.store = store
        self.transaction = transaction
    }

    /// The snapshot's LMDB transaction id: it grows with every committed write.
    public var transactionID: Int { transaction.id }

    /// The namespace's contents, or `nil` when nothing was ever written to it.
    public func namespace(_ namespace: Namespace) throws -> NamespaceReader? {
        guard let record = try NamespaceDirectory.record(of: namespace, in: transaction, schema: store.schema) else {
            return nil
        }
        return NamespaceReader(
            namespace: namespace, record: record, store: store, transaction: transaction, caches: store.caches)
    }

    /// Every namespace, by name.
    public func namespaces() throws -> [Namespace] {
        try NamespaceDirectory.all(in: transaction, schema: store.schema)
    }

    /// A value an application stored with `Writer.setApplicationValue(_:forKey:)`.
    public func applicationValue(forKey key: [UInt8]) throws -> [UInt8]? {
        try ApplicationData.value(forKey: key, in: transaction, schema: store.schema)
    }

    /// Application entries whose keys start with `prefix`, in key order.
    public func applicationEntries(withPrefix prefix: [UInt8]) throws -> [(key: [UInt8], value: [UInt8])] {
        try ApplicationData.entries(withPrefix: prefix, in: transaction, schema: store.schema)
    }
}
