import Synchronization

/// Label id → name, shared by every reader of a store, one table per namespace tagged with
/// the namespace's label generation. A reader only uses the table whose generation equals the
/// one in its snapshot, and only read transactions fill it (a writer's generation may never
/// commit), so no reader sees a name from another snapshot.
///
/// A reader takes the published names once and reads them without the lock. New names wait
/// in a pending list and are published in batches (a batch grows with the table), so a table
/// that readers hold is copied once per batch, not once per name.
///
/// All tables together stay within `capacityBytes` (`LabelStore.Options.labelNameCacheBytes`),
/// pending or published, counted as each name's UTF-8 bytes plus `entryOverheadBytes`: a name
/// that does not fit drops the least recently read other tables first, then its own table's.
final class LabelNameCache: Sendable {
    private struct Table {
        var generation: UInt64
        var names: [UInt32: String] = [:]
        var pending: [(UInt32, String)] = []
        /// Bytes of `names` and `pending`.
        var bytes = 0
        /// When a reader last took the table (`State.clock`).
        var lastRead: UInt64 = 0
    }

    private struct State {
        var tables: [UInt32: Table] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    /// What one entry costs beside its name's bytes: the dictionary slot, the id and the
    /// string's header (names longer than 15 bytes also allocate their storage).
    static let entryOverheadBytes = 48

    let capacityBytes: Int
    private let state = Mutex(State())

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    static func cost(of name: String) -> Int { name.utf8.count + entryOverheadBytes }

    /// The bytes all tables hold now.
    var bytes: Int { state.withLock { $0.bytes } }

    /// The names published for `namespace` at `generation` (a copy-on-write value: taking it
    /// costs a retain).
    func names(namespace: UInt32, generation: UInt64) -> [UInt32: String] {
        state.withLock { state in
            guard state.tables[namespace]?.generation == generation else { return [:] }
            state.clock += 1
            state.tables[namespace]!.lastRead = state.clock
            return state.tables[namespace]!.names
        }
    }

    func insert(_ name: String, for label: UInt32, namespace: UInt32, generation: UInt64) {
        let cost = Self.cost(of: name)
        guard cost <= capacityBytes else { return }
        state.withLock { state in
            var table = state.tables.removeValue(forKey: namespace) ?? Table(generation: generation)
            state.bytes -= table.bytes
            defer {
                state.bytes += table.bytes
                state.tables[namespace] = table
            }
            if table.generation > generation { return }
            if table.generation < generation { table = Table(generation: generation, lastRead: table.lastRead) }
            table.pending.append((label, name))
            table.bytes += cost
            evict(&state, toFit: table.bytes)
            if table.bytes > capacityBytes {
                table.names.removeAll()
                table.bytes = table.pending.reduce(0) { $0 + Self.cost(of: $1.1) }
            }
            if table.bytes > capacityBytes {
                table.pending.removeAll()
                table.bytes = 0
            }
            guard table.pending.count >= max(8, table.names.count / 8) else { return }
            for (label, name) in table.pending {
                if let replaced = table.names.updateValue(name, forKey: label) {
                    table.bytes -= Self.cost(of: replaced)
                }
            }
            table.pending.removeAll(keepingCapacity: true)
        }
    }

    /// Drops other namespaces' tables, least recently read first, until `incoming` more bytes fit.
    private func evict(_ state: inout State, toFit incoming: Int) {
        guard state.bytes + incoming > capacityBytes else { return }
        for (namespace, table) in state.tables.sorted(by: { $0.value.lastRead < $1.value.lastRead }) {
            state.tables[namespace] = nil
            state.bytes -= table.bytes
            if state.bytes + incoming <= capacityBytes { return }
        }
    }
}
