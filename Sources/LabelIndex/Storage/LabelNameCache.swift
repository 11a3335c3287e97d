import Synchronization

/// Label id → name, shared by every reader of a store, one table per namespace tagged with
/// the namespace's label generation. A reader only uses the table whose generation equals the
/// one in its snapshot, and only read transactions fill it (a writer's generation may never
/// commit), so no reader sees a name from another snapshot.
///
/// A reader takes the published names once and reads them without the lock. New names wait
/// in a pending list and are published in batches (a batch grows with the table), so a table
/// that readers hold is copied once per batch, not once per name.
final class LabelNameCache: Sendable {
    private struct Table {
        var generation: UInt64
        var names: [UInt32: String] = [:]
        var pending: [(UInt32, String)] = []
    }

    private let tables = Mutex<[UInt32: Table]>([:])
    /// Bounds memory for namespaces with huge label dictionaries.
    static let maximumNamesPerNamespace = 1 << 20

    /// The names published for `namespace` at `generation` (a copy-on-write value: taking it
    /// costs a retain).
    func names(namespace: UInt32, generation: UInt64) -> [UInt32: String] {
        tables.withLock { tables in
            guard let table = tables[namespace], table.generation == generation else { return [:] }
            return table.names
        }
    }

    func insert(_ name: String, for label: UInt32, namespace: UInt32, generation: UInt64) {
        tables.withLock { tables in
            var table = tables.removeValue(forKey: namespace) ?? Table(generation: generation)
            defer { tables[namespace] = table }
            if table.generation > generation { return }
            if table.generation < generation { table = Table(generation: generation) }
            table.pending.append((label, name))
            guard table.pending.count >= max(8, table.names.count / 8) else { return }
            if table.names.count >= Self.maximumNamesPerNamespace { table.names.removeAll() }
            for (label, name) in table.pending { table.names[label] = name }
            table.pending.removeAll(keepingCapacity: true)
        }
    }
}
