import Synchronization

/// Label id → name, shared by every reader of a store, one table per namespace tagged with
/// the namespace's label generation. A reader only uses the table whose generation equals the
/// one in its snapshot, and only read transactions fill it (a writer's generation may never
/// commit), so no reader sees a name from another snapshot.
final class LabelNameCache: Sendable {
    private struct Table {
        var generation: UInt64
        var names: [UInt32: String]
    }

    private let tables = Mutex<[UInt32: Table]>([:])
    /// Bounds memory for namespaces with huge label dictionaries.
    static let maximumNamesPerNamespace = 1 << 20

    func name(of label: UInt32, namespace: UInt32, generation: UInt64) -> String? {
        tables.withLock { tables in
            guard let table = tables[namespace], table.generation == generation else { return nil }
            return table.names[label]
        }
    }

    func insert(_ name: String, for label: UInt32, namespace: UInt32, generation: UInt64) {
        tables.withLock { tables in
            if let table = tables[namespace], table.generation > generation { return }
            if tables[namespace]?.generation != generation {
                tables[namespace] = Table(generation: generation, names: [:])
            }
            if tables[namespace]!.names.count >= Self.maximumNamesPerNamespace { tables[namespace]!.names.removeAll() }
            tables[namespace]!.names[label] = name
        }
    }
}
