import Synchronization

/// Label id → name as one array indexed by id (label ids are handed out in sequence, so the
/// array is dense): a page of assets resolves each of its labels with an index, not a hash.
struct LabelNameTable: Sendable {
    private(set) var slots: [String?] = []
    /// Names held (non-nil slots).
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    subscript(label: UInt32) -> String? {
        Int(label) < slots.count ? slots[Int(label)] : nil
    }

    /// Stores `name` for `label`; returns the name it replaced.
    @discardableResult
    mutating func set(_ name: String, for label: UInt32) -> String? {
        let index = Int(label)
        if index >= slots.count { slots.append(contentsOf: repeatElement(nil, count: index + 1 - slots.count)) }
        let replaced = slots[index]
        slots[index] = name
        if replaced == nil { count += 1 }
        return replaced
    }

    mutating func removeAll() {
        slots = []
        count = 0
    }
}

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
/// pending or published, counted as each name's UTF-8 bytes plus `entryOverheadBytes` and each
/// table's slots: a name that does not fit drops the least recently read other tables first;
/// when its own table alone fills the budget, the name is not cached.
final class LabelNameCache: Sendable {
    private struct Table {
        var generation: UInt64
        var names = LabelNameTable()
        var pending: [(UInt32, String)] = []
        /// Bytes of `names` (its names and its slots) and `pending`.
        var bytes = 0
        /// When a reader last took the table (`State.clock`).
        var lastRead: UInt64 = 0
        /// The slots publishing `pending` needs (its largest id + 1).
        var pendingSlots = 0

        /// What publishing `pending` adds in slots.
        var slotGrowthBytes: Int { Swift.max(0, pendingSlots - names.slots.count) * LabelNameCache.slotBytes }
    }

    private struct State {
        var tables: [UInt32: Table] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    /// What one entry costs beside its name's bytes: the pending entry or the string's
    /// storage header (names longer than 15 bytes allocate their storage).
    static let entryOverheadBytes = 48
    /// What each slot of a table costs, filled or not (an optional `String`).
    static let slotBytes = MemoryLayout<String?>.stride

    let capacityBytes: Int
    private let state = Mutex(State())

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    static func cost(of name: String) -> Int { name.utf8.count + entryOverheadBytes }

    /// The bytes all tables hold now.
    var bytes: Int { state.withLock { $0.bytes } }

    /// The names published for `namespace` at `generation` (a copy-on-write value: taking it
    /// costs a retain).
    func names(namespace: UInt32, generation: UInt64) -> LabelNameTable {
        state.withLock { state in
            guard state.tables[namespace]?.generation == generation else { return LabelNameTable() }
            state.clock += 1
            state.tables[namespace]!.lastRead = state.clock
            return state.tables[namespace]!.names
        }
    }

    func insert(_ name: String, for label: UInt32, namespace: UInt32, generation: UInt64) {
        let cost = Self.cost(of: name)
        // A name whose slots alone would not fit (a far id) is never cached.
        guard cost + (Int(label) + 1) * Self.slotBytes <= capacityBytes else { return }
        state.withLock { state in
            var table = state.tables.removeValue(forKey: namespace) ?? Table(generation: generation)
            state.bytes -= table.bytes
            defer {
                state.bytes += table.bytes
                state.tables[namespace] = table
            }
            if table.generation > generation { return }
            if table.generation < generation { table = Table(generation: generation, lastRead: table.lastRead) }
            // What the table holds once this name is published: its bytes and its slots.
            let slots = Swift.max(table.pendingSlots, Int(label) + 1)
            let needed = table.bytes + cost + Swift.max(0, slots - table.names.slots.count) * Self.slotBytes
            evict(&state, toFit: needed)
            // A namespace whose own names fill the budget keeps what it has and caches no more
            // (dropping and refilling it would re-read every name, batch after batch).
            guard needed <= capacityBytes else { return }
            table.pending.append((label, name))
            table.pendingSlots = slots
            table.bytes += cost
            guard table.pending.count >= max(8, table.names.count / 8) else { return }
            for (label, name) in table.pending {
                let slotsBefore = table.names.slots.count
                if let replaced = table.names.set(name, for: label) { table.bytes -= Self.cost(of: replaced) }
                table.bytes += (table.names.slots.count - slotsBefore) * Self.slotBytes
            }
            table.pending.removeAll(keepingCapacity: true)
            table.pendingSlots = 0
        }
    }

    /// Drops other namespaces' tables, least recently read first, until `incoming` more bytes fit
    /// with an eighth of the budget to spare, so that a full cache sorts its tables once per
    /// eighth of the budget inserted, not once per name.
    private func evict(_ state: inout State, toFit incoming: Int) {
        guard state.bytes + incoming > capacityBytes else { return }
        let target = capacityBytes - capacityBytes / 8
        for (namespace, table) in state.tables.sorted(by: { $0.value.lastRead < $1.value.lastRead }) {
            state.tables[namespace] = nil
            state.bytes -= table.bytes
            if state.bytes + incoming <= target { return }
        }
    }
}
